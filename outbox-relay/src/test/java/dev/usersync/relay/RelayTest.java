package dev.usersync.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersync.events.ChainVerifier;
import dev.usersync.events.EventHeaders;
import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.Outbox;
import dev.usersync.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay publishes the outbox to the account log: every event, in order, with its chain intact. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class RelayTest {

    @Inject
    Relay relay;

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private TestOutbox outbox;

    @BeforeEach
    void outbox() {
        outbox = new TestOutbox(dataSource);
    }

    @Test
    void manyAccountsWithManyChangesArriveInOrderWithGapFreeSequencesAndValidChains() throws Exception {
        int accounts = 12;
        int changesEach = 15;
        List<AccountLogWriter.Account> people = new ArrayList<>();
        for (int i = 0; i < accounts; i++) {
            people.add(outbox.newAccount("relay"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (AccountLogWriter.Account person : people) {
            done.add(pool.submit(() -> {
                for (int i = 0; i < changesEach; i++) {
                    outbox.rename(person, "name " + i);
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        try (LogReader log = new LogReader(bootstrapServers, "accounts.events")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> people.stream()
                    .allMatch(p -> log.poll().recordsOf(p.id()).size() >= 1 + changesEach));
            for (AccountLogWriter.Account person : people) {
                List<JsonNode> events = log.eventsOf(person.id());
                ChainVerifier verifier = new ChainVerifier();
                events.forEach(e -> assertThat(verifier.check(e)).as("only exact redeliveries may repeat").isEmpty());
                List<JsonNode> firstSeen = firstOccurrences(events);
                assertThat(firstSeen.stream().map(e -> e.get("sequence").asLong()).toList())
                        .as("first appearances, in log order")
                        .containsExactlyElementsOf(LongStream.rangeClosed(1, 1 + changesEach).boxed().toList());
                assertThat(firstSeen).isEqualTo(Outbox.events(dataSource, person.id()));
                ConsumerRecord<String, String> first = log.recordsOf(person.id()).get(0);
                assertThat(LogReader.header(first, EventHeaders.EVENT_ID)).isEqualTo(events.get(0).get("eventId")
                        .asText());
                assertThat(LogReader.header(first, EventHeaders.EVENT_TYPE)).isEqualTo("AccountCreated");
                assertThat(LogReader.header(first, EventHeaders.SEQUENCE)).isEqualTo("1");
                assertThat(LogReader.header(first, EventHeaders.SCHEMA_VERSION)).isEqualTo("1");
            }
        }
        try (LogReader state = new LogReader(bootstrapServers, "accounts.state")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> people.stream()
                    .allMatch(p -> state.poll().recordsOf(p.id()).size() >= 1 + changesEach));
            for (AccountLogWriter.Account person : people) {
                List<JsonNode> latest = state.eventsOf(person.id());
                assertThat(latest.get(latest.size() - 1).get("sequence").asLong()).isEqualTo(1 + changesEach);
            }
        }
    }

    @Test
    void theEngineKilledMidStreamLosesNothingAndRepeatsAtMostOneBatch() throws Exception {
        AccountLogWriter.Account ada = outbox.newAccount("killed");
        int changes = 300;
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> stream = writer.submit(() -> {
            for (int i = 0; i < changes; i++) {
                outbox.rename(ada, "change " + i);
            }
        });
        try (LogReader log = new LogReader(bootstrapServers, "accounts.events")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> log.poll().recordsOf(ada.id()).size() > 50);
            int killed = countTrue("SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots "
                    + "WHERE slot_name = '" + relay.slotName() + "' AND active_pid IS NOT NULL");
            assertThat(killed).as("the engine's replication connection was killed").isEqualTo(1);
            stream.get();
            writer.shutdown();

            await().atMost(Duration.ofSeconds(90)).until(() -> log.poll().eventsOf(ada.id()).stream()
                    .map(e -> e.get("sequence").asLong()).distinct().count() == 1 + changes);
            List<Long> sequences = log.eventsOf(ada.id()).stream().map(e -> e.get("sequence").asLong())
                    .toList();
            assertThat(sequences.stream().distinct().toList())
                    .containsExactlyInAnyOrderElementsOf(LongStream.rangeClosed(1, 1 + changes).boxed().toList());
            int duplicates = sequences.size() - (1 + changes);
            assertThat(duplicates).as("events delivered twice").isLessThanOrEqualTo(1024);
            ChainVerifier verifier = new ChainVerifier();
            log.eventsOf(ada.id()).forEach(e -> assertThat(verifier.check(e)).isEmpty());
            assertThat(verifier.redeliveries()).isEqualTo(duplicates);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> relay.state() == Relay.State.RUNNING);
    }

    @Test
    void losingTheLeaderLockStopsTheEngineAndItComesBack() throws Exception {
        AccountLogWriter.Account ada = outbox.newAccount("lock");
        await().atMost(Duration.ofSeconds(30)).until(() -> relay.leader() && relay.state() == Relay.State.RUNNING);

        assertThat(countTrue("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                + "WHERE application_name = 'accounts-relay-leader'")).isEqualTo(1);
        outbox.rename(ada, "while leaderless");

        await().atMost(Duration.ofSeconds(30)).until(() -> relay.leader() && relay.state() == Relay.State.RUNNING);
        try (LogReader log = new LogReader(bootstrapServers, "accounts.events")) {
            await().atMost(Duration.ofSeconds(30)).until(() -> log.poll().eventsOf(ada.id()).size() >= 2);
        }
    }

    @Test
    void readinessReportsTheRelay() {
        await().atMost(Duration.ofSeconds(30)).until(() -> relay.state() == Relay.State.RUNNING);
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'outbox-relay' }.data.leader", org.hamcrest.Matchers.equalTo(true))
                .body("checks.find { it.name == 'outbox-relay' }.data.engine",
                        org.hamcrest.Matchers.equalTo("RUNNING"));
        RestAssured.get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("relay_events_published_total"))
                .body(org.hamcrest.Matchers.containsString("relay_replication_slot_lag_bytes"))
                .body(org.hamcrest.Matchers.containsString("relay_commit_to_ack_seconds"));
    }

    @Test
    void theSlotIsAFailoverSlotThatStandbysCanSynchronise() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> relay.state() == Relay.State.RUNNING);
        assertThat(countTrue("SELECT failover FROM pg_replication_slots WHERE slot_name = '" + relay.slotName() + "'"))
                .isEqualTo(1);
    }

    /** The log is at-least-once: consumers keep the first of each sequence and drop repeats. */
    private static List<JsonNode> firstOccurrences(List<JsonNode> events) {
        java.util.Set<Long> seen = new java.util.HashSet<>();
        return events.stream().filter(e -> seen.add(e.get("sequence").asLong())).toList();
    }

    /** Runs {@code sql} and counts the rows whose first column is true. */
    private int countTrue(String sql) throws Exception {
        try (var c = dataSource.getConnection(); var rows = c.createStatement().executeQuery(sql)) {
            int n = 0;
            while (rows.next()) {
                n += rows.getBoolean(1) ? 1 : 0;
            }
            return n;
        }
    }
}
