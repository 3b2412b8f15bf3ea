package dev.usersync.testsupport;

import dev.usersync.servers.ServiceProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
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
        int port = freePort();
        url = "http://localhost:" + port;
        PostgresServer postgres = PostgresServer.shared();
        String database = postgres.createDatabase();
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Map<String, String> environment = new HashMap<>(Map.of(
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
        environment.put("QUARKUS_MAILER_MOCK", "true");
        long started = System.nanoTime();
        ServiceProcess process = ServiceProcess.start("accounts-service", jar, port, environment,
                Path.of("target", "accounts-service.log")).awaitReady(Duration.ofSeconds(90));
        Runtime.getRuntime().addShutdownHook(new Thread(process::close, "accounts-service-stop"));
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
