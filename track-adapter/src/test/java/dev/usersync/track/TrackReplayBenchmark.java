package dev.usersync.track;

import static org.awaitility.Awaitility.await;

import dev.usersync.events.AccountUpdated;
import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import dev.usersync.testsupport.TestIssuerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Replay rate of the Track adapter into an empty cache, through its real consumer and apply step, with two baselines
 * measured in the same run: reading the same records raw from Kafka, and a batched PostgreSQL upsert of one row per
 * event. Not part of {@code verify}; run with
 * {@code ./mvnw -pl track-adapter verify -Dtest=TrackReplayBenchmark -Dbench.accounts=5000 -Dbench.events=4}.
 */
@QuarkusTest
@TestProfile(TrackReplayBenchmark.FreshTopic.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class TrackReplayBenchmark {

    static final String TOPIC = "bench.events." + UUID.randomUUID().toString().substring(0, 8);

    /** The app's consumer reads a topic of its own, filled before it is measured. */
    public static class FreshTopic implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("adapter.topics.account-log", TOPIC, "adapter.consumer.enabled", "false");
        }
    }

    @Inject
    DataSource dataSource;

    @Inject
    dev.usersync.adapter.consumer.AccountLogConsumer consumer;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void replayIntoAnEmptyCache() throws Exception {
        int accounts = Integer.getInteger("bench.accounts", 5000);
        int eventsEach = Integer.getInteger("bench.events", 4);
        Map<Integer, RecordMetadata> last = new HashMap<>();
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, TOPIC)) {
            for (int a = 0; a < accounts; a++) {
                AccountLogWriter.Account account = log.newAccount("bench-" + a + "@example.com", "Person " + a,
                        List.of("track"), "track", null);
                keep(last, log.send(account.last()));
                for (int e = 1; e < eventsEach; e++) {
                    int n = e;
                    keep(last, log.send(account.next(s -> new dev.usersync.events.AccountState(s.id(), s.email(),
                            s.emailVerified(), "Person " + n, s.locale(), s.timeZone(), s.products(), s.status(),
                            s.legacyIds(), s.identities()), s -> AccountUpdated.of(s, List.of("name")))));
                }
            }
            int total = accounts * eventsEach;

            double raw = rate(total, () -> readRaw(total));
            double upsert = rate(total, () -> batchedUpsert(total));
            consumer.start();
            double applied = rate(total, () -> await().atMost(Duration.ofMinutes(10)).pollInterval(
                    Duration.ofMillis(200)).until(() -> last.values().stream()
                            .allMatch(r -> log.consumedPast("track-adapter", r))));

            System.out.printf("%nTrack replay of %d events (%d accounts x %d) into an empty cache:%n", total,
                    accounts, eventsEach);
            System.out.printf("  raw Kafka consumption           %,10.0f events/s%n", raw);
            System.out.printf("  batched PostgreSQL upsert       %,10.0f rows/s%n", upsert);
            System.out.printf("  adapter (consume + apply step)  %,10.0f events/s  (%.0f%% of the slower baseline)%n%n",
                    applied, 100 * applied / Math.min(raw, upsert));
        }
    }

    private static void keep(Map<Integer, RecordMetadata> last, RecordMetadata sent) {
        last.merge(sent.partition(), sent, (a, b) -> a.offset() >= b.offset() ? a : b);
    }

    private interface Work {
        void run() throws Exception;
    }

    private static double rate(int events, Work work) throws Exception {
        long start = System.nanoTime();
        work.run();
        return events / ((System.nanoTime() - start) / 1e9);
    }

    private void readRaw(int total) {
        try (KafkaConsumer<byte[], byte[]> raw = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers, ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                2000), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = raw.partitionsFor(TOPIC).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            raw.assign(partitions);
            raw.seekToBeginning(partitions);
            int seen = 0;
            while (seen < total) {
                for (ConsumerRecord<byte[], byte[]> ignored : raw.poll(Duration.ofMillis(200))) {
                    seen++;
                }
            }
        }
    }

    private void batchedUpsert(int total) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement ddl = c.createStatement()) {
            ddl.execute("CREATE TEMP TABLE bench_upsert (id uuid PRIMARY KEY, sequence bigint, name text)");
            List<UUID> ids = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                ids.add(UUID.randomUUID());
            }
            c.setAutoCommit(false);
            try (PreparedStatement upsert = c.prepareStatement("""
                    INSERT INTO bench_upsert (id, sequence, name) VALUES (?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, name = excluded.name
                    WHERE bench_upsert.sequence < excluded.sequence""")) {
                for (int i = 0; i < total; i++) {
                    upsert.setObject(1, ids.get(i));
                    upsert.setLong(2, i);
                    upsert.setString(3, "Person " + i);
                    upsert.addBatch();
                    if (i % 500 == 499) {
                        upsert.executeBatch();
                        c.commit();
                    }
                }
                upsert.executeBatch();
                c.commit();
            }
            c.setAutoCommit(true);
        }
    }
}
