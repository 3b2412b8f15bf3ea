package dev.usersync.e2e;

import static dev.usersync.e2e.RunningMesh.PROPAGATION;
import static dev.usersync.e2e.RunningMesh.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.usersync.events.EventCodec;
import dev.usersync.servers.LocalMesh;
import dev.usersync.servers.LocalPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The auditor's packaged tool against the packaged mesh: after a scripted scenario (sign-ups with and without
 * invitations, profile and email changes, product grants and revocations, logouts, a password change, closures) the
 * log verifies, signatures included, a Track and a Plan cache rebuilt from it through the adapters' own apply code
 * equal the live ones, and one account's history is complete. (Merges wait for the accounts service's merge flow: an
 * event that service did not sign is refused everywhere.)
 */
class AuditEndToEndIT {

    private static final Path AUDITOR = RunningMesh.ROOT.resolve("auditor/target/quarkus-app/quarkus-run.jar");

    private static RunningMesh mesh;

    @BeforeAll
    static void startTheMesh() {
        assertThat(AUDITOR).as("the packaged auditor (./mvnw -pl auditor package)").exists();
        mesh = new RunningMesh("audit");
    }

    @AfterAll
    static void stopTheMesh() {
        if (mesh != null) {
            mesh.close();
        }
    }

    /** What the auditor printed and how it exited. */
    private record Run(int exitCode, String out, String err) {
    }

    @Test
    void afterAScriptedScenarioTheRebuiltCachesEqualTheLiveOnesAndTheLogVerifies() throws Exception {
        Client.Session busiest = runTheScenario();
        awaitEveryAdapterCaughtUp();

        Run verify = audit("verify");
        assertThat(verify.exitCode()).as(verify.out() + verify.err()).isZero();
        assertThat(verify.out()).contains(", 0 findings");

        assertThat(mesh.services.products()).containsExactly("track", "plan", "work");
        for (String product : mesh.services.products()) {
            createDatabase(product + "_rebuilt");
            Run rebuild = audit("rebuild", "--product", product, "--into", url(product + "_rebuilt"));
            assertThat(rebuild.exitCode()).as(rebuild.out() + rebuild.err()).isZero();
            assertThat(rebuild.out()).contains("0 rejected, 0 failed");
            System.out.print(rebuild.out());

            Run diff = audit("diff", "--product", product, "--live", url(product), "--rebuilt",
                    url(product + "_rebuilt"));
            assertThat(diff.exitCode()).as(diff.out()).isZero();
            assertThat(diff.out()).contains("equals the rebuilt one", "(0 differences)");
        }
        assertThat(mesh.count("track_rebuilt", "SELECT count(*) FROM users WHERE account_id IS NOT NULL"))
                .as("Track users: the owner, two invited, four from Track").isEqualTo(7);
        assertThat(mesh.count("plan_rebuilt", "SELECT count(*) FROM members WHERE account_id IS NOT NULL"))
                .as("Plan members: four from Plan, the invited one from Plan, one granted").isEqualTo(6);
        assertThat(mesh.count("work_rebuilt", "SELECT count(*) FROM people WHERE cost_center = 'GENERAL'"))
                .as("Work people: two from Work, in the default cost centre, one of them closed").isEqualTo(2);
        assertThat(mesh.count("work_rebuilt", "SELECT count(*) FROM people WHERE cost_center IS NULL"))
                .as("Work people: one granted Work from Track").isOne();

        Run history = audit("history", busiest.accountId());
        long sequence = Long.parseLong(Client.field(Client.send("GET", mesh.accounts + "/v1/sync/accounts/"
                + busiest.accountId(), null, null, mesh.secrets.syncKey()).body(), "sequence"));
        List<String> lines = history.out().lines().toList();
        assertThat(history.exitCode()).isZero();
        assertThat(sequence).isGreaterThanOrEqualTo(6);
        assertThat(lines).hasSize((int) sequence);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(EventCodec.parse(lines.get(i).getBytes(StandardCharsets.UTF_8)).path("sequence").asLong())
                    .isEqualTo(i + 1);
        }
        assertThat(history.err()).contains(sequence + " events of account " + busiest.accountId() + "; chain intact");

        try (Connection live = mesh.connect("track"); Statement change = live.createStatement()) {
            change.executeUpdate("UPDATE users SET fullname = 'Drifted' WHERE account_id = '" + busiest.accountId()
                    + "'");
        }
        Run drifted = audit("diff", "--product", "track", "--live", url("track"), "--rebuilt", url("track_rebuilt"));
        assertThat(drifted.exitCode()).isEqualTo(1);
        assertThat(drifted.out()).contains("DIFFERENT track " + busiest.accountId() + " fullname: live \"Drifted\"");
    }

    /** Runs the scenario through the services' APIs; returns the account with the longest history. */
    private static Client.Session runTheScenario() {
        Client.Session owner = Client.signUp(mesh.accounts, email("owner"), "track", null);
        String workspace = Client.field(Client.send("GET", mesh.track + "/v1/track/me", null, owner, null).body(),
                "workspaceId");
        String joinerEmail = email("joiner");
        String laterEmail = email("later");
        String joinerCode = invite(owner, workspace, joinerEmail);
        invite(owner, workspace, laterEmail);

        Client.Session joiner = Client.signUp(mesh.accounts, joinerEmail, "track", joinerCode);
        Client.Session later = Client.signUp(mesh.accounts, laterEmail, "plan", null);
        mesh.grant(later.accountId(), "track");

        List<Client.Session> people = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            people.add(Client.signUp(mesh.accounts, email("track"), "track", null));
            people.add(Client.signUp(mesh.accounts, email("plan"), "plan", null));
        }
        Client.Session busiest = people.get(0);
        change(busiest, "{\"name\":\"Grace Hopper\"}");
        change(busiest, "{\"email\":\"" + email("moved") + "\",\"locale\":\"fr-FR\"}");
        change(busiest, "{\"timeZone\":\"America/New_York\"}");
        mesh.grant(busiest.accountId(), "plan");
        assertThat(Client.send("POST", mesh.accounts + "/v1/me/password", "{\"currentPassword\":\""
                + Client.PASSWORD + "\",\"newPassword\":\"another horse battery staple\"}", busiest, null)
                .statusCode()).isEqualTo(204);
        assertThat(Client.send("POST", mesh.accounts + "/v1/logout", null, busiest, null).statusCode())
                .isEqualTo(204);
        assertThat(Client.send("DELETE", mesh.accounts + "/v1/admin/accounts/" + people.get(2).accountId()
                + "/products/track", null, null, mesh.secrets.adminKey()).statusCode()).isEqualTo(200);
        change(people.get(1), "{\"name\":\"Ada Byron King\"}");
        Client.signUp(mesh.accounts, email("work"), "work", null);
        close(Client.signUp(mesh.accounts, email("work"), "work", null));
        mesh.grant(owner.accountId(), "work");
        close(people.get(3));
        close(joiner);
        return busiest;
    }

    private static String invite(Client.Session owner, String workspace, String email) {
        return Client.field(Client.send("POST", mesh.track + "/v1/track/workspaces/" + workspace + "/invitations",
                "{\"email\":\"" + email + "\"}", owner, null).body(), "code");
    }

    private static void change(Client.Session session, String json) {
        assertThat(Client.send("PATCH", mesh.accounts + "/v1/me", json, session, null).statusCode()).isEqualTo(200);
    }

    private static void close(Client.Session session) {
        assertThat(Client.send("DELETE", mesh.accounts + "/v1/me", "{\"password\":\"" + Client.PASSWORD + "\"}",
                session, null).statusCode()).isEqualTo(204);
    }

    /** Every adapter's consumer group has committed the end of the log: everything in it was applied. */
    private static void awaitEveryAdapterCaughtUp() {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", mesh.kafka.bootstrapServers()))) {
            for (String product : mesh.services.products()) {
                await().atMost(PROPAGATION).until(() -> caughtUp(admin, LocalMesh.adapter(product)));
            }
        }
    }

    private static boolean caughtUp(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        admin.describeTopics(List.of("accounts.events")).allTopicNames().get().get("accounts.events").partitions()
                .forEach(p -> ends.put(new TopicPartition("accounts.events", p.partition()), OffsetSpec.latest()));
        return admin.listOffsets(ends).all().get().entrySet().stream().allMatch(end -> {
            OffsetAndMetadata at = committed.get(end.getKey());
            return end.getValue().offset() == 0 || at != null && at.offset() >= end.getValue().offset();
        });
    }

    /**
     * Runs the packaged auditor as a separate process; Kafka, the event-signing keys and the database credentials from
     * its environment.
     */
    private static Run audit(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", AUDITOR.toString()));
        command.addAll(List.of(arguments));
        Path out = Files.createTempFile("audit", ".out");
        Path err = Files.createTempFile("audit", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("KAFKA_BOOTSTRAP_SERVERS", mesh.kafka.bootstrapServers());
        builder.environment().put("ACCOUNTS_EVENT_KEYS", mesh.accounts + "/.well-known/event-keys.json");
        builder.environment().put("PGUSER", LocalPostgres.USER);
        builder.environment().put("PGPASSWORD", LocalPostgres.PASSWORD);
        Process process = builder.start();
        if (!process.waitFor(Duration.ofMinutes(2).toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("the auditor did not finish: " + command);
        }
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static String url(String database) {
        return mesh.postgres.jdbcUrl(database);
    }

    private static void createDatabase(String name) throws Exception {
        try (Connection admin = mesh.connect("postgres"); Statement create = admin.createStatement()) {
            create.execute("CREATE DATABASE " + name);
        }
    }
}
