package dev.usersync.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * The packaged accounts service, started as a separate process on the test servers, for tests of other services that
 * need the real one (its keys, its relay, its sync endpoint). Built by the reactor before the modules that use it;
 * {@code -Daccounts.jar} points elsewhere. Secrets are random per run; output goes to {@code target/accounts-service.log}.
 */
public final class AccountsServiceProcess {

    private static final Logger LOG = Logger.getLogger(AccountsServiceProcess.class);
    private static AccountsServiceProcess shared;

    private final String url;
    private final String adminKey = secret();
    private final String syncKey = secret();

    private AccountsServiceProcess() {
        Path jar = Path.of(System.getProperty("accounts.jar", "../accounts-service/target/quarkus-app/quarkus-run.jar"));
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no packaged accounts service at " + jar.toAbsolutePath()
                    + "; build it first (./mvnw -pl accounts-service -am package -DskipTests)");
        }
        int port = freePort();
        url = "http://localhost:" + port;
        PostgresServer postgres = PostgresServer.shared();
        String database = postgres.createDatabase();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar.toAbsolutePath().toString())
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "accounts-service.log").toFile());
        builder.environment().putAll(Map.of(
                "ACCOUNTS_HTTP_PORT", Integer.toString(port),
                "ACCOUNTS_DB_URL", postgres.jdbcUrl(database),
                "ACCOUNTS_DB_USER", postgres.username(),
                "ACCOUNTS_DB_PASSWORD", postgres.password(),
                "KAFKA_BOOTSTRAP_SERVERS", KafkaServer.shared().bootstrapServers(),
                "ACCOUNTS_ISSUER", url,
                "ACCOUNTS_KEYS_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(key),
                "ACCOUNTS_ADMIN_API_KEY", adminKey,
                "ACCOUNTS_SYNC_API_KEY", syncKey,
                "ACCOUNTS_COOKIE_SECURE", "false"));
        builder.environment().put("QUARKUS_MAILER_MOCK", "true");
        long started = System.nanoTime();
        try {
            Process process = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "accounts-service-stop"));
            awaitReady(process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the accounts service", e);
        }
        LOG.infof("accounts service (packaged) ready in %d ms at %s", (System.nanoTime() - started) / 1_000_000, url);
    }

    public static synchronized AccountsServiceProcess shared() {
        if (shared == null) {
            shared = new AccountsServiceProcess();
        }
        return shared;
    }

    public String url() {
        return url;
    }

    public String adminKey() {
        return adminKey;
    }

    public String syncKey() {
        return syncKey;
    }

    private void awaitReady(Process process) {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the accounts service exited with " + process.exitValue()
                        + "; see target/accounts-service.log");
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        process.destroy();
        throw new IllegalStateException("the accounts service was not ready within 90 s; see target/accounts-service.log");
    }

    private static String secret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
