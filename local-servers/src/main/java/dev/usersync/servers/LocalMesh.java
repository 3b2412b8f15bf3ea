package dev.usersync.servers;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The three packaged services wired to one PostgreSQL (a database each) and one Kafka broker, as separate processes:
 * what {@code deploy/mesh} runs and what the end-to-end tests start. Each service can be stopped, killed and started
 * again with the same configuration.
 */
public final class LocalMesh implements AutoCloseable {

    public static final List<String> SERVICES = List.of("accounts-service", "track-adapter", "plan-adapter");

    /** Fixed ports of the three services. */
    public record Ports(int accounts, int track, int plan) {

        /** Three free ports, for a mesh started beside others (tests, benchmarks). */
        public static Ports free() {
            return new Ports(Sockets.freePort(), Sockets.freePort(), Sockets.freePort());
        }
    }

    /** Closes what a test or benchmark started, in the order given, skipping what never started. */
    public static void closeAll(AutoCloseable... started) {
        RuntimeException failure = null;
        for (AutoCloseable each : started) {
            try {
                if (each != null) {
                    each.close();
                }
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("could not close " + each, e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * The mesh's secrets, generated once, never committed: the accounts service's key-encryption key, its admin key,
     * the adapters' sync key and their admin key (operator endpoints).
     */
    public record Secrets(String encryptionKey, String adminKey, String syncKey, String adapterAdminKey) {

        public static Secrets generate() {
            SecureRandom random = new SecureRandom();
            byte[] key = new byte[32];
            random.nextBytes(key);
            return new Secrets(Base64.getEncoder().encodeToString(key), token(random), token(random), token(random));
        }

        /** A new random API key. */
        public static String token() {
            return token(new SecureRandom());
        }

        private static String token(SecureRandom random) {
            byte[] bytes = new byte[24];
            random.nextBytes(bytes);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        }
    }

    private final Path root;
    private final Path logs;
    private final Map<String, Map<String, String>> environments = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new HashMap<>();
    private final Map<String, ServiceProcess> running = new HashMap<>();
    /** The service each replica is a replica of. */
    private final Map<String, String> packages = new HashMap<>();

    /** The mesh of the packages under {@code root} (the repository), logging into {@code logs}. */
    public LocalMesh(Path root, LocalPostgres postgres, String kafka, Ports ports, Secrets secrets, Path logs) {
        this.root = root;
        this.logs = logs;
        List.of("accounts", "track", "plan").forEach(postgres::ensureDatabase);
        String accounts = "http://localhost:" + ports.accounts();
        Map<String, String> common = Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka, "ACCOUNTS_ISSUER", accounts,
                "ACCOUNTS_SYNC_API_KEY", secrets.syncKey());
        Map<String, String> adapters = new HashMap<>(common);
        adapters.put("ADAPTER_ADMIN_API_KEY", secrets.adapterAdminKey());
        Map<String, String> accountsEnv = new HashMap<>(common);
        accountsEnv.putAll(Map.of(
                "ACCOUNTS_HTTP_PORT", Integer.toString(ports.accounts()),
                "ACCOUNTS_DB_URL", postgres.jdbcUrl("accounts"),
                "ACCOUNTS_DB_USER", LocalPostgres.USER,
                "ACCOUNTS_DB_PASSWORD", LocalPostgres.PASSWORD,
                "ACCOUNTS_KEYS_ENCRYPTION_KEY", secrets.encryptionKey(),
                "ACCOUNTS_ADMIN_API_KEY", secrets.adminKey(),
                "ACCOUNTS_COOKIE_SECURE", "false",
                "ACCOUNTS_LINK_BASE_URL", accounts,
                "QUARKUS_MAILER_MOCK", "true"));
        environments.put("accounts-service", accountsEnv);
        environments.put("track-adapter", adapterEnvironment("track-adapter", ports.track(), postgres.jdbcUrl("track"),
                adapters));
        environments.put("plan-adapter", adapterEnvironment("plan-adapter", ports.plan(), postgres.jdbcUrl("plan"),
                adapters));
        this.ports.put("accounts-service", ports.accounts());
        this.ports.put("track-adapter", ports.track());
        this.ports.put("plan-adapter", ports.plan());
    }

    /** Adds to (or overrides) a service's environment, for example its Kafka client security settings. */
    public LocalMesh configure(String name, Map<String, String> environment) {
        environments.get(name).putAll(environment);
        return this;
    }

    /** Starts every service and waits until all are ready. */
    public LocalMesh startAll(Duration timeout) {
        SERVICES.forEach(this::launch);
        SERVICES.forEach(name -> running.get(name).awaitReady(timeout));
        return this;
    }

    /** Starts one (stopped or killed) service again with the same configuration and waits until it is ready. */
    public ServiceProcess start(String name, Duration timeout) {
        return launch(name).awaitReady(timeout);
    }

    /**
     * Starts another replica of service {@code name}, called {@code replica}: the same package and configuration (its
     * database, its consumer group), on a port of its own and logging to {@code <replica>.log}. Returns at once; see
     * {@link ServiceProcess#awaitReady}. It is then stopped, killed and started like any service, by its name.
     */
    public ServiceProcess launchReplica(String name, String replica) {
        int port = Sockets.freePort();
        Map<String, String> environment = new HashMap<>(environments.get(name));
        environment.put(name.substring(0, name.indexOf('-')).toUpperCase(java.util.Locale.ROOT) + "_HTTP_PORT",
                Integer.toString(port));
        environments.put(replica, environment);
        ports.put(replica, port);
        packages.put(replica, name);
        return launch(replica);
    }

    /** Stops one service gracefully (SIGTERM). */
    public void stop(String name) {
        ServiceProcess service = running.remove(name);
        if (service != null) {
            service.close();
        }
    }

    /** Kills one service with SIGKILL, as a crash would. */
    public void kill(String name) {
        ServiceProcess service = running.remove(name);
        if (service != null) {
            service.kill();
        }
    }

    /** The running process of a service, for its pid. */
    public ServiceProcess process(String name) {
        return running.get(name);
    }

    public String url(String name) {
        return "http://localhost:" + ports.get(name);
    }

    /**
     * The token of the last link mailed to {@code email} for {@code page} ({@code verify-email},
     * {@code reset-password}): the local mesh has no mail server, and the accounts service's mock mailer writes every
     * mail to its log.
     */
    public Optional<String> mailedToken(String email, String page) {
        try {
            String log = Files.readString(logs.resolve("accounts-service.log"));
            // within one mail: up to the next log line, which starts with its date
            Matcher mail = Pattern.compile("to \\[" + Pattern.quote(email)
                    + "\\](?:(?!\\n\\d{4}-\\d\\d-\\d\\d )[\\s\\S])*?/" + Pattern.quote(page)
                    + "\\?token=([A-Za-z0-9%_-]+)").matcher(log);
            String token = null;
            while (mail.find()) {
                token = URLDecoder.decode(mail.group(1), StandardCharsets.UTF_8);
            }
            return Optional.ofNullable(token);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        List.copyOf(running.keySet()).forEach(this::stop);
    }

    /** Starts service (or replica) {@code name} and returns at once; see {@link ServiceProcess#awaitReady}. */
    public ServiceProcess launch(String name) {
        String module = packages.getOrDefault(name, name);
        ServiceProcess service = ServiceProcess.start(name, root.resolve(module).resolve(
                "target/quarkus-app/quarkus-run.jar"), ports.get(name), environments.get(name),
                logs.resolve(name + ".log"));
        running.put(name, service);
        return service;
    }

    /**
     * The environment of adapter {@code name} ({@code track-adapter}) serving on {@code port} with its cache at
     * {@code db} (as the local PostgreSQL's superuser), plus {@code common}.
     */
    public static Map<String, String> adapterEnvironment(String name, int port, String db,
            Map<String, String> common) {
        String prefix = name.substring(0, name.indexOf('-')).toUpperCase(java.util.Locale.ROOT);
        Map<String, String> env = new HashMap<>(common);
        env.putAll(Map.of(prefix + "_HTTP_PORT", Integer.toString(port), prefix + "_DB_URL", db,
                prefix + "_DB_USER", LocalPostgres.USER, prefix + "_DB_PASSWORD", LocalPostgres.PASSWORD));
        return env;
    }
}
