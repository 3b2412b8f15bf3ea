package dev.usersync.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged accounts service and every product's adapter wired to one PostgreSQL (a database each) and one Kafka
 * broker, as separate processes: what {@code deploy/mesh} runs and what the end-to-end tests start. Each service can
 * be stopped, killed and started again with the same configuration.
 *
 * <p>The products are the repository's modules named {@code <product>-adapter}, in the order of the root POM's
 * {@code <modules>}: adding the module there is what adds a product to the local mesh. Each adapter reads
 * {@code <PRODUCT>_HTTP_PORT} and {@code <PRODUCT>_DB_URL}, {@code _DB_USER}, {@code _DB_PASSWORD}, and its cache is
 * the database named after the product.
 */
public final class LocalMesh implements AutoCloseable {

    public static final String ACCOUNTS = "accounts-service";
    private static final Pattern ADAPTER_MODULE =
            Pattern.compile("(?m)^\\s*<module>([a-z][a-z0-9]*)-adapter</module>\\s*$");

    /** The products of the repository at {@code root}: its {@code <product>-adapter} modules, in the POM's order. */
    public static List<String> products(Path root) {
        try {
            Matcher modules = ADAPTER_MODULE.matcher(Files.readString(root.resolve("pom.xml")));
            List<String> products = new ArrayList<>();
            while (modules.find()) {
                products.add(modules.group(1));
            }
            return List.copyOf(products);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the modules of " + root.resolve("pom.xml"), e);
        }
    }

    /** The service name of {@code product}'s adapter: its module, {@code track-adapter}. */
    public static String adapter(String product) {
        return product + "-adapter";
    }

    /** The ports of the accounts service and of each product's adapter. */
    public record Ports(int accounts, Map<String, Integer> adapters) {

        /** {@code accounts}, and the ports after it for the products in order: 8080, then 8081, 8082, ... */
        public static Ports consecutive(int accounts, List<String> products) {
            Map<String, Integer> adapters = new LinkedHashMap<>();
            products.forEach(product -> adapters.put(product, accounts + 1 + adapters.size()));
            return new Ports(accounts, adapters);
        }

        /** Free ports for the products of the repository at {@code root}, for a mesh started beside others. */
        public static Ports free(Path root) {
            Map<String, Integer> adapters = new LinkedHashMap<>();
            products(root).forEach(product -> adapters.put(product, Sockets.freePort()));
            return new Ports(Sockets.freePort(), adapters);
        }

        public List<Integer> all() {
            List<Integer> all = new ArrayList<>(List.of(accounts));
            all.addAll(adapters.values());
            return all;
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
    private final List<String> products;
    private final Map<String, Map<String, String>> environments = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new HashMap<>();
    private final Map<String, ServiceProcess> running = new HashMap<>();
    /** The service each replica is a replica of. */
    private final Map<String, String> packages = new HashMap<>();

    /** The mesh of the packages under {@code root} (the repository), logging into {@code logs}. */
    public LocalMesh(Path root, LocalPostgres postgres, String kafka, Ports ports, Secrets secrets, Path logs) {
        this.root = root;
        this.logs = logs;
        this.products = products(root);
        postgres.ensureDatabase("accounts");
        products.forEach(postgres::ensureDatabase);
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
        environments.put(ACCOUNTS, accountsEnv);
        this.ports.put(ACCOUNTS, ports.accounts());
        for (String product : products) {
            Integer port = ports.adapters().get(product);
            if (port == null) {
                throw new IllegalArgumentException("no port for product " + product + " in " + ports);
            }
            environments.put(adapter(product), adapterEnvironment(adapter(product), port, postgres.jdbcUrl(product),
                    adapters));
            this.ports.put(adapter(product), port);
        }
    }

    /** The product ids of this mesh, in order. */
    public List<String> products() {
        return products;
    }

    /** The accounts service, then each product's adapter. */
    public List<String> services() {
        return services(products);
    }

    /** The services of the repository at {@code root}: the accounts service, then each product's adapter. */
    public static List<String> services(Path root) {
        return services(products(root));
    }

    private static List<String> services(List<String> products) {
        List<String> services = new ArrayList<>(List.of(ACCOUNTS));
        products.forEach(product -> services.add(adapter(product)));
        return List.copyOf(services);
    }

    /** Adds to (or overrides) a service's environment, for example its Kafka client security settings. */
    public LocalMesh configure(String name, Map<String, String> environment) {
        environments.get(name).putAll(environment);
        return this;
    }

    /** Starts every service and waits until all are ready. */
    public LocalMesh startAll(Duration timeout) {
        services().forEach(this::launch);
        services().forEach(name -> running.get(name).awaitReady(timeout));
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
            String log = Files.readString(logs.resolve(ACCOUNTS + ".log"));
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
