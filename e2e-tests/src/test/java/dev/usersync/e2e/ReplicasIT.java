package dev.usersync.e2e;

import static dev.usersync.e2e.RunningMesh.PROPAGATION;
import static dev.usersync.e2e.RunningMesh.READY;
import static dev.usersync.e2e.RunningMesh.email;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two replicas of a service, as Kubernetes runs them: two Track adapters starting together on one empty database and
 * one consumer group, one of them killed under load; two accounts services, the relay's leader killed under load.
 * Nothing is lost or applied twice, and the stall a crash causes is bounded.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReplicasIT {

    /** The longest a change may wait because the replica that would have applied it was killed. */
    private static final Duration STALL = Duration.ofSeconds(10);

    private static RunningMesh mesh;
    private static final List<Client.Session> people = new ArrayList<>();

    @BeforeAll
    static void startPostgreSQLAndKafka() {
        mesh = new RunningMesh("replicas", List.of(), Map.of());
    }

    @AfterAll
    static void stopTheMesh() {
        if (mesh != null) {
            mesh.close();
        }
    }

    @Test
    @Order(1)
    void aReplicaJoiningAGroupThatHasAMemberButNoOffsetsLeavesTheLogToIt() throws IOException {
        // A fresh deployment: the first Track pod starts before the account log exists (no offsets to set) and joins
        // the group; the log appears, empty; the second pod finds the cache empty and no offsets, but a member.
        mesh.services.launch("track-adapter");
        awaitGroupMembers(1);
        mesh.services.start("accounts-service", READY);
        mesh.services.start("plan-adapter", READY);
        mesh.services.launchReplica("track-adapter", "track-adapter-2");
        mesh.services.process("track-adapter").awaitReady(READY);
        mesh.services.process("track-adapter-2").awaitReady(READY);
        awaitGroupMembers(2);
        for (int i = 0; i < 40; i++) {
            people.add(Client.signUp(mesh.accounts, email("early"), "track", null));
        }

        awaitTrackConverged();
        String logs = log("track-adapter") + log("track-adapter-2");
        assertThat(logs).doesNotContain("the account log consumer failed");
        assertThat(count(logs, "group track-adapter already has members")).isEqualTo(1);
        for (String replica : List.of("track-adapter", "track-adapter-2")) {
            assertThat(metric(mesh.services.url(replica), "adapter_events_applied_total")).as(replica)
                    .isPositive();
        }
    }

    @Test
    @Order(2)
    void aKilledAdapterReplicasPartitionsMoveToTheOtherWithinTheSessionTimeout() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> load = writer.submit(() -> changeProfilesUntil(writing, mesh.accounts));
        String survivor = mesh.services.url("track-adapter");
        await().atMost(PROPAGATION).until(() -> metric(mesh.services.url("track-adapter-2"),
                "adapter_events_applied_total") > 40);
        Map<Double, Double> before = propagation(survivor);
        mesh.services.kill("track-adapter-2");
        // Changes keep coming until the survivor has applied well more than its own partitions' share of them.
        double applied = metric(survivor, "adapter_events_applied_total");
        await().atMost(Duration.ofSeconds(60)).until(() -> metric(survivor, "adapter_events_applied_total")
                > applied + 200);
        writing.set(false);
        load.get();
        writer.shutdown();

        awaitTrackConverged();
        Map<Double, Double> after = propagation(survivor);
        double events = after.get(Double.POSITIVE_INFINITY) - before.get(Double.POSITIVE_INFINITY);
        double longest = after.keySet().stream().sorted().filter(le -> after.get(le) - before.getOrDefault(le, 0.0)
                >= events).findFirst().orElseThrow();
        System.out.printf("the surviving Track replica applied %.0f events after the kill, the slowest within %.1f s "
                + "of its commit%n", events, longest);
        assertThat(longest).as("seconds a change waited for the killed replica's partitions")
                .isLessThanOrEqualTo(STALL.toSeconds());
        for (Client.Session person : people) {
            assertThat(mesh.count("track", "SELECT count(*) FROM users WHERE account_id = ?::uuid",
                    person.accountId())).isEqualTo(1);
            assertThat(mesh.ownedPersonalWorkspaces(person.accountId())).isEqualTo(1);
        }
    }

    @Test
    @Order(3)
    void theRelayMovesToTheOtherAccountsReplicaWhenItsLeaderIsKilled() throws Exception {
        mesh.services.launchReplica("accounts-service", "accounts-service-2").awaitReady(READY);
        String leader = leaderOf("accounts-service", "accounts-service-2");
        String standby = leader.equals("accounts-service") ? "accounts-service-2" : "accounts-service";

        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> load = writer.submit(() -> changeProfilesUntil(writing, mesh.services.url(standby)));
        await().atMost(PROPAGATION).until(() -> metric(mesh.services.url(leader), "relay_events_published_total")
                > 20);
        mesh.services.kill(leader);
        long killed = System.nanoTime();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> relayRunning(mesh.services.url(standby)));
        Duration handOver = Duration.ofNanos(System.nanoTime() - killed);
        double published = metric(mesh.services.url(standby), "relay_events_published_total");
        await().atMost(PROPAGATION).until(() -> metric(mesh.services.url(standby), "relay_events_published_total")
                > published);
        Duration firstPublish = Duration.ofNanos(System.nanoTime() - killed);
        writing.set(false);
        load.get();
        writer.shutdown();
        System.out.printf("relay hand-over: the standby led with its engine running %d ms after the leader was "
                + "killed, and published %d ms after%n", handOver.toMillis(), firstPublish.toMillis());

        assertThat(handOver).isLessThanOrEqualTo(STALL);
        awaitTrackConverged();
        for (Client.Session person : people) {
            long sequence = mesh.count("accounts", "SELECT last_sequence FROM accounts WHERE id = ?::uuid",
                    person.accountId());
            await().atMost(PROPAGATION).until(() -> mesh.count("plan", "SELECT coalesce(max(sequence), 0) FROM "
                    + "sync_accounts WHERE account_id = ?::uuid", person.accountId()) == sequence);
        }
    }

    /** Renames the people in turn through {@code accounts}, one request at a time, until {@code writing} is false. */
    private static void changeProfilesUntil(AtomicBoolean writing, String accounts) {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int i = 0; writing.get(); i++) {
            Client.Session person = people.get(i % people.size());
            int status = Client.send("PATCH", accounts + "/v1/me", "{\"name\":\"Name " + i + "\"}", person, null)
                    .statusCode();
            if (status != 200) {
                failures.add(new AssertionError("PATCH /v1/me answered " + status));
            }
        }
        assertThat(failures).isEmpty();
    }

    private static void awaitTrackConverged() {
        for (Client.Session person : people) {
            long sequence = mesh.count("accounts", "SELECT last_sequence FROM accounts WHERE id = ?::uuid",
                    person.accountId());
            await().atMost(PROPAGATION).until(() -> mesh.count("track", "SELECT coalesce(max(sequence), 0) FROM "
                    + "sync_accounts WHERE account_id = ?::uuid", person.accountId()) == sequence);
        }
    }

    /** Waits until the Track adapters' group has {@code members}, each with partitions once the log exists. */
    private static void awaitGroupMembers(int members) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                mesh.kafka.bootstrapServers()))) {
            // a group nobody joined yet is "not found"
            await().atMost(PROPAGATION).ignoreExceptions().until(() -> admin.describeConsumerGroups(
                    List.of("track-adapter")).all().get().get("track-adapter").members().size() == members);
        }
    }

    private static String leaderOf(String... replicas) {
        return await().atMost(PROPAGATION).until(() -> {
            for (String replica : replicas) {
                if (relayRunning(mesh.services.url(replica))) {
                    return replica;
                }
            }
            return null;
        }, java.util.Objects::nonNull);
    }

    /** Whether this accounts replica leads the relay with its engine running, as its readiness says. */
    private static boolean relayRunning(String url) {
        try {
            String health = Client.send("GET", url + "/q/health/ready", null, null, null).body();
            return health.matches("(?s).*\"leader\"\\s*:\\s*true.*") && health.matches("(?s).*\"engine\"\\s*:\\s*"
                    + "\"RUNNING\".*");
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** The adapter's propagation histogram: events applied within each bucket's bound (s), cumulative. */
    private static Map<Double, Double> propagation(String adapter) {
        String body = Client.send("GET", adapter + "/q/metrics", null, null, null).body();
        Matcher bucket = Pattern.compile("(?m)^adapter_propagation_seconds_bucket\\{le=\"([^\"]+)\"\\} ([0-9.eE+-]+)$")
                .matcher(body);
        Map<Double, Double> buckets = new HashMap<>();
        while (bucket.find()) {
            buckets.put(bucket.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bucket.group(1)),
                    Double.parseDouble(bucket.group(2)));
        }
        assertThat(buckets).containsKey(Double.POSITIVE_INFINITY);
        return buckets;
    }

    /** A metric without tags from a service's Prometheus endpoint; 0 if absent. */
    static double metric(String url, String name) {
        String body = Client.send("GET", url + "/q/metrics", null, null, null).body();
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*\\})? ([0-9.eE+-]+)$")
                .matcher(body);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }

    private static String log(String service) throws IOException {
        return Files.readString(mesh.logs.resolve(service + ".log"));
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
