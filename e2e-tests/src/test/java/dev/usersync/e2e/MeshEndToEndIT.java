package dev.usersync.e2e;

import static dev.usersync.e2e.RunningMesh.PROPAGATION;
import static dev.usersync.e2e.RunningMesh.READY;
import static dev.usersync.e2e.RunningMesh.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
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
 * broker stopped while people sign up, the accounts service restarted, PostgreSQL restarted.
 */
class MeshEndToEndIT {

    private static RunningMesh mesh;

    @BeforeAll
    static void startTheMesh() {
        mesh = new RunningMesh("mesh");
    }

    @AfterAll
    static void stopTheMesh() {
        if (mesh != null) {
            mesh.close();
        }
    }

    @Test
    void aSignUpReachesBothAdaptersAndProfileChangesFollow() {
        String email = email("both");
        Client.Session ada = Client.signUp(mesh.accounts, email, "track", null);
        mesh.grant(ada.accountId(), "plan");
        mesh.awaitRow("track", "SELECT 1 FROM users WHERE account_id = ?::uuid", ada.accountId());
        mesh.awaitRow("plan", "SELECT 1 FROM members WHERE account_id = ?::uuid", ada.accountId());

        String moved = email("moved");
        assertThat(Client.send("PATCH", mesh.accounts + "/v1/me", "{\"email\":\"" + moved + "\",\"name\":\"Ada King\"}",
                ada, null).statusCode()).isEqualTo(200);

        mesh.awaitRow("track", "SELECT 1 FROM users WHERE account_id = ?::uuid AND email = '" + moved
                + "' AND fullname = 'Ada King'", ada.accountId());
        mesh.awaitRow("plan", "SELECT 1 FROM members WHERE account_id = ?::uuid AND email = '" + moved
                + "' AND first_name = 'Ada' AND last_name = 'King'", ada.accountId());
    }

    @Test
    void anInvitedPersonJoinsTheWorkspaceOnceTheirEmailIsVerifiedAndGetsNoPersonalOne() {
        Client.Session ada = Client.signUp(mesh.accounts, email("owner"), "track", null);
        String me = Client.send("GET", mesh.track + "/v1/track/me", null, ada, null).body();
        String workspace = Client.field(me, "workspaceId");
        String invitee = email("invitee");
        String code = Client.field(Client.send("POST",
                mesh.track + "/v1/track/workspaces/" + workspace + "/invitations",
                "{\"email\":\"" + invitee + "\"}", ada, null).body(), "code");

        Client.Session bob = Client.signUp(mesh.accounts, invitee, "track", code);
        mesh.awaitRow("track", "SELECT 1 FROM users WHERE account_id = ?::uuid", bob.accountId());
        String membership = "SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.account_id = ?::uuid "
                + "AND m.active AND m.workspace_id = " + workspace;
        assertThat(mesh.count("track", "SELECT count(*) FROM (" + membership + ") m", bob.accountId()))
                .as("a member before proving the address").isZero();

        mesh.verifyEmail(invitee);

        mesh.awaitRow("track", membership, bob.accountId());
        assertThat(mesh.ownedPersonalWorkspaces(bob.accountId())).isZero();
        assertThat(mesh.ownedPersonalWorkspaces(ada.accountId())).isEqualTo(1);
    }

    @Test
    void aLogoutMakesBothAdaptersRejectTheSession() {
        Client.Session ada = Client.signUp(mesh.accounts, email("logout"), "track", null);
        mesh.grant(ada.accountId(), "plan");
        Client.Session session = Client.login(mesh.accounts, emailOf(ada));
        assertThat(mesh.status(mesh.track + "/v1/track/me", session)).isEqualTo(200);
        await().atMost(PROPAGATION).until(() -> mesh.status(mesh.plan + "/v1/plan/me", session) == 200);

        assertThat(Client.send("POST", mesh.accounts + "/v1/logout", null, session, null).statusCode()).isEqualTo(204);

        await().atMost(PROPAGATION).until(() -> mesh.status(mesh.track + "/v1/track/me", session) == 401);
        await().atMost(PROPAGATION).until(() -> mesh.status(mesh.plan + "/v1/plan/me", session) == 401);
    }

    @Test
    void aClosureDeactivatesTheAccountEverywhere() {
        Client.Session ada = Client.signUp(mesh.accounts, email("closure"), "track", null);
        mesh.grant(ada.accountId(), "plan");
        mesh.awaitRow("plan", "SELECT 1 FROM members WHERE account_id = ?::uuid", ada.accountId());

        assertThat(Client.send("DELETE", mesh.accounts + "/v1/me", "{\"password\":\"" + Client.PASSWORD + "\"}", ada,
                null)
                .statusCode()).isEqualTo(204);

        mesh.awaitRow("track", "SELECT 1 FROM users WHERE account_id = ?::uuid AND NOT active AND fullname IS NULL",
                ada.accountId());
        mesh.awaitRow("plan", "SELECT 1 FROM members WHERE account_id = ?::uuid AND status = 'deleted'",
                ada.accountId());
        assertThat(mesh.count("track", "SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id "
                + "WHERE u.account_id = ?::uuid AND m.active", ada.accountId())).isZero();
    }

    /** Work, the third product: its own people table, its own rules, in the packaged mesh. */
    @Test
    void aSignUpFromWorkStartsInTheDefaultCostCentreAndItsClosureKeepsTheExpenseReports() {
        Client.Session carol = Client.signUp(mesh.accounts, email("work"), "work", null);
        mesh.awaitRow("work", "SELECT 1 FROM people WHERE account_id = ?::uuid AND cost_center = 'GENERAL' AND active",
                carol.accountId());
        assertThat(mesh.status(mesh.work + "/v1/work/me", carol)).isEqualTo(200);
        assertThat(mesh.count("work", "WITH filed AS (INSERT INTO expense_reports (person_id, title, amount_cents) "
                + "SELECT id, 'train', 4200 FROM people WHERE account_id = ?::uuid RETURNING 1) SELECT count(*) "
                + "FROM filed", UUID.fromString(carol.accountId()))).as("an expense report filed in Work").isOne();

        assertThat(Client.send("DELETE", mesh.accounts + "/v1/me", "{\"password\":\"" + Client.PASSWORD + "\"}",
                carol, null).statusCode()).isEqualTo(204);

        mesh.awaitRow("work", "SELECT 1 FROM people WHERE account_id = ?::uuid AND NOT active AND display_name IS NULL",
                carol.accountId());
        assertThat(mesh.count("work", "SELECT count(*) FROM expense_reports r JOIN people p ON p.id = r.person_id "
                + "WHERE p.account_id = ?", UUID.fromString(carol.accountId()))).isOne();
    }

    @Test
    void anAdapterKilledMidStreamLosesNothingAndAppliesNothingTwice() throws Exception {
        List<String> ids = new ArrayList<>();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> stream = writer.submit(() -> {
            for (int i = 0; i < 60; i++) {
                ids.add(Client.signUp(mesh.accounts, email("stream"), "track", null).accountId());
            }
        });
        await().atMost(PROPAGATION).until(() -> mesh.count("track", "SELECT count(*) FROM users WHERE email LIKE "
                + "'stream-%' AND account_id IS NOT NULL") >= 10);
        mesh.services.kill("track-adapter");
        stream.get();
        writer.shutdown();
        mesh.services.start("track-adapter", READY);

        for (String id : ids) {
            mesh.awaitRow("track", "SELECT 1 FROM users WHERE account_id = ?::uuid", id);
            assertThat(mesh.count("track", "SELECT count(*) FROM users WHERE account_id = ?::uuid", id)).isEqualTo(1);
            assertThat(mesh.ownedPersonalWorkspaces(id)).as("personal workspaces of %s", id).isEqualTo(1);
        }
    }

    @Test
    void signUpsDuringAKafkaOutageConvergeOnceTheBrokerIsBack() {
        mesh.kafka.stop();
        List<String> ids = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                ids.add(Client.signUp(mesh.accounts, email("outage"), "track", null).accountId());
            }
        } finally {
            mesh.kafka.start();
        }
        ids.forEach(id -> mesh.awaitRow("track", "SELECT 1 FROM users WHERE account_id = ?::uuid", id));
    }

    @Test
    void theRelayResumesAfterTheAccountsServiceRestarts() {
        Client.Session before = Client.signUp(mesh.accounts, email("before"), "track", null);
        mesh.services.stop("accounts-service");
        mesh.services.start("accounts-service", READY);

        Client.Session after = Client.signUp(mesh.accounts, email("after"), "track", null);

        mesh.awaitRow("track", "SELECT 1 FROM users WHERE account_id = ?::uuid", before.accountId());
        mesh.awaitRow("track", "SELECT 1 FROM users WHERE account_id = ?::uuid", after.accountId());
        assertThat(mesh.status(mesh.track + "/v1/track/me", before)).as("a session from before the restart")
                .isEqualTo(200);
    }

    @Test
    void nothingIsLostWhenPostgreSQLRestarts() {
        Client.Session settled = Client.signUp(mesh.accounts, email("settled"), "track", null);
        mesh.awaitRow("track", "SELECT 1 FROM users WHERE account_id = ?::uuid", settled.accountId());
        Client.Session lastBefore = Client.signUp(mesh.accounts, email("last"), "plan", null);

        mesh.postgres.stop();
        mesh.postgres.start();

        List<String> after = new ArrayList<>();
        await().atMost(PROPAGATION).until(() -> {
            HttpResponse<String> signUp = Client.send("POST", mesh.accounts + "/v1/signup", Client.signUpBody(
                    email("after"), "track", null), null, null);
            if (signUp.statusCode() == 201) {
                after.add(Client.session(signUp).accountId());
            }
            return after.size() == 3;
        });

        mesh.awaitRow("plan", "SELECT 1 FROM members WHERE account_id = ?::uuid", lastBefore.accountId());
        after.forEach(id -> mesh.awaitRow("track", "SELECT 1 FROM users WHERE account_id = ?::uuid", id));
        assertThat(mesh.status(mesh.track + "/v1/track/me", settled)).as("a session from before the restart")
                .isEqualTo(200);
        for (String id : after) {
            assertThat(mesh.count("track", "SELECT count(*) FROM users WHERE account_id = ?::uuid", id)).isOne();
            assertThat(mesh.ownedPersonalWorkspaces(id)).isOne();
        }
    }

    private static String emailOf(Client.Session session) {
        return Client.field(Client.send("GET", mesh.accounts + "/v1/me", null, session, null).body(), "email");
    }
}
