package dev.usersync.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.usersync.servers.LocalKafka;
import dev.usersync.servers.LocalMesh;
import dev.usersync.servers.LocalPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The packaged accounts service, Track adapter and Plan adapter as separate processes on real PostgreSQL and Kafka,
 * started the way {@code deploy/mesh} starts them, and the faults the brief names: an adapter killed mid-stream, the
 * broker stopped while people sign up, the accounts service restarted.
 */
class MeshEndToEndTest {

    private static final Duration READY = Duration.ofSeconds(120);
    private static final Duration PROPAGATION = Duration.ofSeconds(60);

    private static LocalPostgres postgres;
    private static LocalKafka kafka;
    private static LocalMesh mesh;
    private static LocalMesh.Secrets secrets;
    private static String accounts;
    private static String track;
    private static String plan;

    @BeforeAll
    static void startTheMesh() throws IOException {
        postgres = LocalPostgres.ephemeral();
        kafka = new LocalKafka(Files.createTempDirectory("e2e-kafka"), UUID.randomUUID().toString(), 0, 0).start();
        secrets = LocalMesh.Secrets.generate();
        mesh = new LocalMesh(Path.of("..").toAbsolutePath().normalize(), postgres, kafka.bootstrapServers(),
                new LocalMesh.Ports(freePort(), freePort(), freePort()), secrets, Path.of("target", "e2e-logs"))
                .startAll(READY);
        accounts = mesh.url("accounts-service");
        track = mesh.url("track-adapter");
        plan = mesh.url("plan-adapter");
    }

    @AfterAll
    static void stopTheMesh() {
        if (mesh != null) {
            mesh.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aSignUpReachesBothAdaptersAndProfileChangesFollow() {
        String email = email("both");
        Client.Session ada = Client.signUp(accounts, email, "track", null);
        grant(ada.accountId(), "plan");
        awaitRow("track", "SELECT 1 FROM users WHERE account_id = ?::uuid", ada.accountId());
        awaitRow("plan", "SELECT 1 FROM members WHERE account_id = ?::uuid", ada.accountId());

        String moved = email("moved");
        assertThat(Client.send("PATCH", accounts + "/v1/me", "{\"email\":\"" + moved + "\",\"name\":\"Ada King\"}",
                ada, null).statusCode()).isEqualTo(200);

        awaitRow("track", "SELECT 1 FROM users WHERE account_id = ?::uuid AND email = '" + moved
                + "' AND fullname = 'Ada King'", ada.accountId());
        awaitRow("plan", "SELECT 1 FROM members WHERE account_id = ?::uuid AND email = '" + moved
                + "' AND first_name = 'Ada' AND last_name = 'King'", ada.accountId());
    }

    @Test
    void anInvitedPersonJoinsTheWorkspaceAndGetsNoPersonalOne() {
        Client.Session ada = Client.signUp(accounts, email("owner"), "track", null);
        String me = Client.send("GET", track + "/v1/track/me", null, ada, null).body();
        String workspace = Client.field(me, "workspaceId");
        String invitee = email("invitee");
        String code = Client.field(Client.send("POST", track + "/v1/track/workspaces/" + workspace + "/invitations",
                "{\"email\":\"" + invitee + "\"}", ada, null).body(), "code");

        Client.Session bob = Client.signUp(accounts, invitee, "track", code);

        awaitRow("track", "SELECT 1 FROM users WHERE account_id = ?::uuid", bob.accountId());
        assertThat(count("track", "SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id "
                + "WHERE u.account_id = ?::uuid AND m.workspace_id = " + workspace, bob.accountId())).isEqualTo(1);
        assertThat(ownedPersonalWorkspaces(bob.accountId())).isZero();
        assertThat(ownedPersonalWorkspaces(ada.accountId())).isEqualTo(1);
    }

    @Test
    void aLogoutMakesBothAdaptersRejectTheSession() {
        Client.Session ada = Client.signUp(accounts, email("logout"), "track", null);
        grant(ada.accountId(), "plan");
        Client.Session session = Client.login(accounts, emailOf(ada));
        assertThat(status(track + "/v1/track/me", session)).isEqualTo(200);
        await().atMost(PROPAGATION).until(() -> status(plan + "/v1/plan/me", session) == 200);

        assertThat(Client.send("POST", accounts + "/v1/logout", null, session, null).statusCode()).isEqualTo(204);

        await().atMost(PROPAGATION).until(() -> status(track + "/v1/track/me", session) == 401);
        await().atMost(PROPAGATION).until(() -> status(plan + "/v1/plan/me", session) == 401);
    }

    @Test
    void aClosureDeactivatesTheAccountEverywhere() {
        Client.Session ada = Client.signUp(accounts, email("closure"), "track", null);
        grant(ada.accountId(), "plan");
        awaitRow("plan", "SELECT 1 FROM members WHERE account_id = ?::uuid", ada.accountId());

        assertThat(Client.send("DELETE", accounts + "/v1/me", "{\"password\":\"" + Client.PASSWORD + "\"}", ada, null)
                .statusCode()).isEqualTo(204);

        awaitRow("track", "SELECT 1 FROM users WHERE account_id = ?::uuid AND NOT active AND fullname IS NULL",
                ada.accountId());
        awaitRow("plan", "SELECT 1 FROM members WHERE account_id = ?::uuid AND status = 'deleted'", ada.accountId());
        assertThat(count("track", "SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id "
                + "WHERE u.account_id = ?::uuid AND m.active", ada.accountId())).isZero();
    }

    @Test
    void anAdapterKilledMidStreamLosesNothingAndAppliesNothingTwice() throws Exception {
        List<String> ids = new ArrayList<>();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> stream = writer.submit(() -> {
            for (int i = 0; i < 60; i++) {
                ids.add(Client.signUp(accounts, email("stream"), "track", null).accountId());
            }
        });
        await().atMost(PROPAGATION).until(() -> count("track", "SELECT count(*) FROM users WHERE email LIKE "
                + "'stream-%' AND account_id IS NOT NULL AND ? IS NOT NULL", "x") >= 10);
        mesh.kill("track-adapter");
        stream.get();
        writer.shutdown();
        mesh.start("track-adapter", READY);

        for (String id : ids) {
            awaitRow("track", "SELECT 1 FROM users WHERE account_id = ?::uuid", id);
            assertThat(count("track", "SELECT count(*) FROM users WHERE account_id = ?::uuid", id)).isEqualTo(1);
            assertThat(ownedPersonalWorkspaces(id)).as("personal workspaces of %s", id).isEqualTo(1);
        }
    }

    @Test
    void signUpsDuringAKafkaOutageConvergeOnceTheBrokerIsBack() {
        kafka.stop();
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                ids.add(Client.signUp(accounts, email("outage"), "track", null).accountId());
            }
        } finally {
            kafka.start();
        }
        ids.forEach(id -> awaitRow("track", "SELECT 1 FROM users WHERE account_id = ?::uuid", id));
    }

    @Test
    void theRelayResumesAfterTheAccountsServiceRestarts() {
        Client.Session before = Client.signUp(accounts, email("before"), "track", null);
        mesh.stop("accounts-service");
        mesh.start("accounts-service", READY);

        Client.Session after = Client.signUp(accounts, email("after"), "track", null);

        awaitRow("track", "SELECT 1 FROM users WHERE account_id = ?::uuid", before.accountId());
        awaitRow("track", "SELECT 1 FROM users WHERE account_id = ?::uuid", after.accountId());
        assertThat(status(track + "/v1/track/me", before)).as("a session from before the restart").isEqualTo(200);
    }

    private static void grant(String accountId, String product) {
        assertThat(Client.send("PUT", accounts + "/v1/admin/accounts/" + accountId + "/products/" + product, null, null,
                secrets.adminKey()).statusCode()).isEqualTo(200);
    }

    private static String emailOf(Client.Session session) {
        return Client.field(Client.send("GET", accounts + "/v1/me", null, session, null).body(), "email");
    }

    private static int status(String url, Client.Session session) {
        return Client.send("GET", url, null, session, null).statusCode();
    }

    private static long ownedPersonalWorkspaces(String accountId) {
        return count("track", "SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id JOIN workspaces w "
                + "ON w.id = m.workspace_id WHERE u.account_id = ?::uuid AND w.personal AND m.role = 'owner'", accountId);
    }

    private static void awaitRow(String database, String sql, String id) {
        await().atMost(PROPAGATION).until(() -> count(database, "SELECT count(*) FROM (" + sql + ") found", id) > 0);
    }

    private static long count(String database, String sql, String parameter) {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(database), LocalPostgres.USER,
                LocalPostgres.PASSWORD); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet row = s.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static String email(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
