package dev.usersync.auditor;

import dev.usersync.events.AccountCreated;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.AccountState;
import dev.usersync.events.AccountUpdated;
import dev.usersync.events.EventCodec;
import dev.usersync.events.EventSigner;
import dev.usersync.events.SignUpContext;
import dev.usersync.events.Uuid7;
import dev.usersync.servers.LocalKafka;
import dev.usersync.servers.LocalPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;

/**
 * Rate of {@code audit verify} on a large log: starts a broker, writes {@code accounts x events} chained events
 * (default 100,000 x 10 = one million), then runs verify in-process; with {@code -Dbench.rebuild=track} (or plan) it
 * also rebuilds that product's cache from the same log into a fresh embedded PostgreSQL database. Run from the auditor
 * module (events signed by a key made for the run, whose key set it hands to the auditor):
 * {@code ../mvnw -q dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test && java -cp
 * target/test-classes:target/classes:$(cat cp.txt) -Dbench.accounts=20000 dev.usersync.auditor.VerifyBenchmark}.
 */
public final class VerifyBenchmark {

    private VerifyBenchmark() {
    }

    private static final EventSigner SIGNER = EventSigner.generate("bench-event-key");

    public static void main(String[] args) throws Exception {
        int accounts = Integer.getInteger("bench.accounts", 100_000);
        int events = Integer.getInteger("bench.events", 10);
        try (LocalKafka kafka = new LocalKafka(Files.createTempDirectory("verify-bench"), UUID.randomUUID().toString(),
                0, 0).start()) {
            String topic = "bench.events";
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(topic, 6, (short) 1))).all().get();
            }
            long writeStart = System.nanoTime();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                    ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(), ProducerConfig.LINGER_MS_CONFIG,
                    20, ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024, ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4"),
                    new ByteArraySerializer(), new ByteArraySerializer())) {
                for (int a = 0; a < accounts; a++) {
                    UUID id = Uuid7.next();
                    byte[] key = id.toString().getBytes(StandardCharsets.UTF_8);
                    AccountState state = AccountState.of(id, "person" + a + "@example.com", false, "Person " + a,
                            "en-GB", "Europe/London").withProducts(List.of("track"));
                    AccountEvent last = SIGNER.sign(AccountEvent.of(id, 1, Instant.now(), null, null,
                            AccountCreated.of(state, SignUpContext.of("track", null))).seal());
                    producer.send(new ProducerRecord<>(topic, key, EventCodec.toBytes(last)));
                    for (int e = 2; e <= events; e++) {
                        AccountState renamed = new AccountState(id, state.email(), false, "Person " + a + " v" + e,
                                "en-GB", "Europe/London", state.products(), state.status(), null, null);
                        last = SIGNER.sign(AccountEvent.of(id, e, Instant.now(), last.hash(), null,
                                AccountUpdated.of(renamed, List.of("name"))).seal());
                        producer.send(new ProducerRecord<>(topic, key, EventCodec.toBytes(last)));
                    }
                }
            }
            System.out.printf("wrote %,d events in %.1f s%n", (long) accounts * events,
                    (System.nanoTime() - writeStart) / 1e9);
            long start = System.nanoTime();
            Path keys = Files.createTempFile("event-keys", ".json");
            Files.writeString(keys, EventCodec.mapper().writeValueAsString(Map.of("keys", List.of(SIGNER.jwk()))));
            int exit = new CommandLine(new AuditCommand()).execute("verify", "--bootstrap-servers",
                    kafka.bootstrapServers(), "--topic", topic, "--state-topic", "-", "--event-keys", keys.toString());
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("verify: exit %d, %,d events in %.1f s = %,.0f events/s%n", exit,
                    (long) accounts * events, seconds, accounts * events / seconds);
            String product = System.getProperty("bench.rebuild");
            if (product != null) {
                try (LocalPostgres postgres = LocalPostgres.ephemeral()) {
                    try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("postgres"),
                            LocalPostgres.USER, LocalPostgres.PASSWORD);
                            Statement create = connection.createStatement()) {
                        create.execute("CREATE DATABASE rebuilt");
                    }
                    start = System.nanoTime();
                    exit = new CommandLine(new AuditCommand()).execute("rebuild", "--product", product, "--into",
                            postgres.jdbcUrl("rebuilt") + "?user=" + LocalPostgres.USER + "&password="
                                    + LocalPostgres.PASSWORD, "--bootstrap-servers", kafka.bootstrapServers(),
                            "--topic", topic, "--event-keys", keys.toString());
                    seconds = (System.nanoTime() - start) / 1e9;
                    System.out.printf("rebuild %s: exit %d, %,d events in %.1f s = %,.0f events/s%n", product, exit,
                            (long) accounts * events, seconds, accounts * events / seconds);
                }
            }
        }
    }
}
