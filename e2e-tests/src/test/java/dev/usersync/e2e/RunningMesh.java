package dev.usersync.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.usersync.servers.LocalKafka;
import dev.usersync.servers.LocalMesh;
import dev.usersync.servers.LocalPostgres;
import dev.usersync.servers.Sockets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * PostgreSQL, a Kafka broker and the three packaged services as processes, started the way {@code deploy/mesh}
 * starts them, with what the end-to-end tests ask of them.
 */
final class RunningMesh implements AutoCloseable {

    /**
     * For tests and load from this one machine standing for many people: lifts the per-address limits on sign-ups,
     * reset requests and verification mail (the per-email ones stay), which would otherwise answer with 429.
     */
    static final Map<String, String> MANY_CLIENTS = Map.of("ACCOUNTS_RATE_LIMITS_SIGN_UP_PER_ADDRESS", "1000000",
            "ACCOUNTS_RATE_LIMITS_PASSWORD_RESET_PER_ADDRESS", "1000000",
            "ACCOUNTS_RATE_LIMITS_VERIFICATION_MAIL_PER_ADDRESS", "1000000");

    static final Duration READY = Duration.ofSeconds(120);
    static final Duration PROPAGATION = Duration.ofSeconds(60);
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    final LocalPostgres postgres;
    private final Path postgresData;
    final LocalKafka kafka;
    final LocalMesh services;
    final LocalMesh.Secrets secrets = LocalMesh.Secrets.generate();
    final Path logs;
    final String accounts;
    final String track;
    final String plan;
    final String work;

    /** Starts everything; the services' logs go to {@code target/e2e-logs/<name>}. */
    RunningMesh(String name) {
        this(name, LocalMesh.services(ROOT), Map.of());
    }

    /**
     * Starts PostgreSQL, Kafka and {@code started} of the services, each with {@code environment} added to its own;
     * the others start when a test says.
     */
    RunningMesh(String name, java.util.List<String> started, Map<String, String> environment) {
        try {
            // On a data directory of its own, so that a test can stop and start it again.
            postgresData = Files.createTempDirectory("e2e-postgres");
            postgres = LocalPostgres.persistent(postgresData.resolve("data"), Sockets.freePort());
            kafka = new LocalKafka(Files.createTempDirectory("e2e-kafka"), UUID.randomUUID().toString(), 0, 0)
                    .start();
            LocalMesh.Ports ports = LocalMesh.Ports.free(ROOT);
            logs = Path.of("target", "e2e-logs", name);
            deleteTree(logs); // the logs of an earlier run would answer for this one
            services = new LocalMesh(ROOT, postgres, kafka.bootstrapServers(), ports, secrets,
                    logs).configure("accounts-service", MANY_CLIENTS);
            services.services().forEach(service -> services.configure(service, environment));
            started.forEach(services::launch);
            started.forEach(service -> services.process(service).awaitReady(READY));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        accounts = services.url("accounts-service");
        track = services.url("track-adapter");
        plan = services.url("plan-adapter");
        work = services.url("work-adapter");
    }

    @Override
    public void close() {
        LocalMesh.closeAll(services, kafka, postgres);
        deleteTree(postgresData);
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void grant(String accountId, String product) {
        assertThat(Client.send("PUT", accounts + "/v1/admin/accounts/" + accountId + "/products/" + product, null,
                null, secrets.adminKey()).statusCode()).isEqualTo(200);
    }

    /** Opens the verification link last mailed to {@code email}, as its owner would. */
    void verifyEmail(String email) {
        String token = await().atMost(PROPAGATION).until(() -> services.mailedToken(email, "verify-email")
                .orElse(null), java.util.Objects::nonNull);
        assertThat(Client.send("POST", accounts + "/v1/email-verification/confirm", "{\"token\":\"" + token + "\"}",
                null, null).statusCode()).isEqualTo(200);
    }

    int status(String url, Client.Session session) {
        return Client.send("GET", url, null, session, null).statusCode();
    }

    long ownedPersonalWorkspaces(String accountId) {
        return count("track", "SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id JOIN workspaces w "
                + "ON w.id = m.workspace_id WHERE u.account_id = ?::uuid AND w.personal AND m.role = 'owner'",
                accountId);
    }

    void awaitRow(String database, String sql, String id) {
        await().atMost(PROPAGATION).until(() -> count(database, "SELECT count(*) FROM (" + sql + ") found", id) > 0);
    }

    long count(String database, String sql, Object... parameters) {
        try (Connection c = connect(database); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = s.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(sql, e);
        }
    }

    Connection connect(String database) throws java.sql.SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(database), LocalPostgres.USER, LocalPostgres.PASSWORD);
    }

    static String email(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

}
