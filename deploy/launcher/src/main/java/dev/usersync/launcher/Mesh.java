package dev.usersync.launcher;

import dev.usersync.servers.LocalKafka;
import dev.usersync.servers.LocalMesh;
import dev.usersync.servers.LocalPostgres;
import dev.usersync.servers.Sockets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Runs the whole mesh on this machine: PostgreSQL (a database per service, logical replication on), a Kafka broker,
 * and the packaged accounts service and every product's adapter (Track, Plan, Work: the repository's
 * {@code <product>-adapter} modules) as separate processes on fixed ports. Data, logs
 * and generated secrets live in one directory ({@code .mesh}), so a restart keeps them; {@code --fresh} starts over.
 * Ctrl-C stops everything, services first.
 */
public final class Mesh {

    private Mesh() {
    }


    public static void main(String[] args) throws Exception {
        List<String> options = List.of(args);
        if (options.contains("--help") || options.contains("-h")) {
            System.out.println("""
                    usage: deploy/mesh [--fresh] [--demo]
                      --fresh   delete the data directory first (databases, topics, keys)
                      --demo    once ready, walk through sign-ups, invitations, login, OAuth, an email change and
                                logout, printing each step and the measured propagation to each product
                    environment: MESH_DATA (.mesh), MESH_ACCOUNTS_PORT (8080), MESH_<PRODUCT>_PORT for each
                                 product's adapter (MESH_TRACK_PORT 8081, MESH_PLAN_PORT 8082, MESH_WORK_PORT 8083:
                                 the ports after the accounts service's, in the root POM's order),
                                 MESH_KAFKA_PORT (9092), MESH_KAFKA_CONTROLLER_PORT (9093),
                                 MESH_POSTGRES_PORT (55432)""");
            return;
        }
        long started = System.nanoTime();
        Path root = Path.of(System.getProperty("mesh.root", ".")).toAbsolutePath().normalize();
        Path data = root.resolve(env("MESH_DATA", ".mesh"));
        int accountsPort = port("MESH_ACCOUNTS_PORT", 8080);
        Map<String, Integer> adapterPorts = new LinkedHashMap<>();
        LocalMesh.Ports.consecutive(accountsPort, LocalMesh.products(root)).adapters().forEach((product, port) ->
                adapterPorts.put(product, port("MESH_" + product.toUpperCase(Locale.ROOT) + "_PORT", port)));
        LocalMesh.Ports ports = new LocalMesh.Ports(accountsPort, adapterPorts);
        int kafkaPort = port("MESH_KAFKA_PORT", 9092);
        int kafkaControllerPort = port("MESH_KAFKA_CONTROLLER_PORT", 9093);
        int postgresPort = port("MESH_POSTGRES_PORT", 55432);
        List<Integer> taken = Stream.concat(ports.all().stream(), Stream.of(kafkaPort, kafkaControllerPort,
                postgresPort)).filter(Sockets::listening).toList();
        if (!taken.isEmpty()) {
            System.err.println("ports " + taken + " are in use: is another mesh (or what is left of one that was "
                    + "killed) still running? Stop it, e.g. `fuser -k -TERM " + taken.get(0) + "/tcp`, or choose "
                    + "other ports (deploy/mesh --help).");
            System.exit(2);
        }
        if (options.contains("--fresh")) {
            delete(data);
        }
        Files.createDirectories(data.resolve("logs"));
        Properties secrets = secrets(data.resolve("secrets.properties"));

        LocalPostgres postgres = LocalPostgres.persistent(data.resolve("postgres"), postgresPort);
        LocalKafka kafka = new LocalKafka(data.resolve("kafka"), secrets.getProperty("kafka.cluster-id"), kafkaPort,
                kafkaControllerPort).start();
        LocalMesh mesh = new LocalMesh(root, postgres, kafka.bootstrapServers(),
                ports,
                new LocalMesh.Secrets(secrets.getProperty("encryption-key"), secrets.getProperty("admin-api-key"),
                        secrets.getProperty("sync-api-key"), secrets.getProperty("adapter-admin-api-key")),
                data.resolve("logs"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("stopping the mesh...");
            mesh.close();
            kafka.close();
            postgres.close();
        }, "mesh-stop"));
        mesh.startAll(Duration.ofSeconds(120));
        String accounts = mesh.url("accounts-service");

        Map<String, String> urls = new LinkedHashMap<>();
        Map<String, String> databases = new LinkedHashMap<>();
        mesh.products().forEach(product -> {
            urls.put(product, mesh.url(LocalMesh.adapter(product)));
            databases.put(product, postgres.jdbcUrl(product));
        });
        StringBuilder adapters = new StringBuilder();
        urls.forEach((product, url) -> adapters.append(" | ").append(product).append(' ').append(url));
        System.out.printf("mesh ready in %.1f s: accounts %s%s | kafka %s | postgres localhost:%d | data %s (logs in"
                + " %s/logs; admin key in %s/secrets.properties) | Ctrl-C stops%n", (System.nanoTime() - started) / 1e9,
                accounts, adapters, kafka.bootstrapServers(), postgres.port(), root.relativize(data),
                root.relativize(data), root.relativize(data));
        if (options.contains("--demo")) {
            new Demo(accounts, urls, databases, secrets.getProperty("admin-api-key"), mesh::mailedToken).run();
        }
        Thread.currentThread().join();
    }

    /**
     * Generated at first start and kept with the data: the mesh's keys are never committed anywhere. A key that a
     * later version added is generated into an existing file.
     */
    private static Properties secrets(Path file) throws IOException {
        Properties secrets = new Properties();
        if (Files.exists(file)) {
            try (InputStream in = Files.newInputStream(file)) {
                secrets.load(in);
            }
            if (secrets.containsKey("adapter-admin-api-key")) {
                return secrets;
            }
            secrets.setProperty("adapter-admin-api-key", LocalMesh.Secrets.token());
        } else {
            LocalMesh.Secrets generated = LocalMesh.Secrets.generate();
            secrets.setProperty("encryption-key", generated.encryptionKey());
            secrets.setProperty("admin-api-key", generated.adminKey());
            secrets.setProperty("sync-api-key", generated.syncKey());
            secrets.setProperty("adapter-admin-api-key", generated.adapterAdminKey());
            secrets.setProperty("kafka.cluster-id", org.apache.kafka.common.Uuid.randomUuid().toString());
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            secrets.store(out, "generated by the mesh launcher at first start; local use only");
        }
        return secrets;
    }

    private static void delete(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static int port(String variable, int fallback) {
        return Integer.parseInt(env(variable, Integer.toString(fallback)));
    }

    private static String env(String variable, String fallback) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? fallback : value;
    }
}
