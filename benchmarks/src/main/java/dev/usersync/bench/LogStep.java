package dev.usersync.bench;

import dev.usersync.events.AccountState;
import dev.usersync.events.AccountUpdated;
import dev.usersync.servers.LocalPostgres;
import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.TestIssuer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The log read at full speed. Writes a log of its own (accounts x events, chained and signed by the harness's issuer,
 * whose key set the readers are given), then measures, in one run: a plain Kafka consumer with large fetches and no
 * work per record, and a batched PostgreSQL upsert of one row per event (the baselines); the packaged auditor's
 * {@code verify} and {@code rebuild} of each product. Replay into each adapter's empty cache is {@link AdapterStep}.
 */
final class LogStep {

    static final String TOPIC = "bench.events";
    static final String STATE_TOPIC = "bench.state";

    private final Path root;
    private final LocalPostgres postgres;
    private final String bootstrapServers;
    private final TestIssuer issuer;

    LogStep(Path root, LocalPostgres postgres, String bootstrapServers, TestIssuer issuer) {
        this.root = root;
        this.postgres = postgres;
        this.bootstrapServers = bootstrapServers;
        this.issuer = issuer;
    }

    record Log(int accounts, int events, List<UUID> someAccounts, double writtenPerSecond) {
    }

    record Result(double rawPerSecond, double upsertPerSecond, double verifyPerSecond,
            Map<String, Double> rebuildPerSecond) {
    }

    /**
     * Writes {@code accounts} accounts of {@code eventsEach} events each, every one of them using every product, and
     * signed up from each product in turn.
     */
    Log write(int accounts, int eventsEach, List<String> products) {
        long started = System.nanoTime();
        List<UUID> some = new ArrayList<>();
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, TOPIC)) {
            AccountLogWriter.ensureTopic(bootstrapServers, STATE_TOPIC, 6);
            for (int a = 0; a < accounts; a++) {
                AccountLogWriter.Account account = log.newAccount("person-" + a + "@example.com", "Person " + a,
                        products, products.get(a % products.size()), null);
                log.sendLater(account.last());
                for (int e = 1; e < eventsEach; e++) {
                    String name = "Person " + a + " (" + e + ")";
                    log.sendLater(account.next(s -> new AccountState(s.id(), s.email(), s.emailVerified(), name,
                            s.locale(), s.timeZone(), s.products(), s.status(), s.legacyIds(), s.identities()),
                            s -> AccountUpdated.of(s, List.of("name"))));
                }
                if (some.size() < 1000) {
                    some.add(account.id());
                }
            }
            log.flush();
        }
        int events = accounts * eventsEach;
        return new Log(accounts, events, some, events / seconds(started));
    }

    Result run(Log log, List<String> products, Path logs) throws IOException, InterruptedException, SQLException {
        double raw = Math.max(readRaw(log.events()), readRaw(log.events()));
        double upsert = batchedUpsert(log.events(), log.accounts());
        double verify = auditor(log, logs.resolve("auditor-verify.log"), Map.of(), "verify", "--state-topic", "-");
        Map<String, Double> rebuild = new java.util.LinkedHashMap<>();
        for (String product : products) {
            String database = "bench_rebuilt_" + product;
            postgres.ensureDatabase(database);
            rebuild.put(product, auditor(log, logs.resolve("auditor-rebuild-" + product + ".log"),
                    Map.of("PGUSER", LocalPostgres.USER, "PGPASSWORD", LocalPostgres.PASSWORD), "rebuild",
                    "--product", product, "--into", postgres.jdbcUrl(database)));
        }
        return new Result(raw, upsert, verify, rebuild);
    }

    /** A plain consumer: large fetches, no work per record. Events per second. */
    private double readRaw(int events) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20_000,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024,
                ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 16 * 1024 * 1024,
                ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1024 * 1024,
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(TOPIC).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long started = System.nanoTime();
            long seen = 0;
            while (seen < events) {
                for (ConsumerRecord<byte[], byte[]> ignored : consumer.poll(Duration.ofMillis(500))) {
                    seen++;
                }
            }
            return seen / seconds(started);
        }
    }

    /**
     * One row per event, upserted in batches of 1,000 in a transaction each, with the adapters' sequence guard: the
     * best PostgreSQL does with the rows a replay writes. Rows per second.
     */
    private double batchedUpsert(int events, int accounts) throws SQLException {
        postgres.ensureDatabase("bench_upsert");
        List<UUID> ids = new ArrayList<>(accounts);
        for (int a = 0; a < accounts; a++) {
            ids.add(UUID.randomUUID());
        }
        int eventsEach = events / accounts;
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl("bench_upsert"), LocalPostgres.USER,
                LocalPostgres.PASSWORD)) {
            try (Statement ddl = c.createStatement()) {
                ddl.execute("DROP TABLE IF EXISTS upserted");
                ddl.execute("CREATE TABLE upserted (account_id uuid PRIMARY KEY, sequence bigint NOT NULL, "
                        + "email text NOT NULL, name text NOT NULL)");
            }
            c.setAutoCommit(false);
            long started = System.nanoTime();
            try (PreparedStatement upsert = c.prepareStatement("""
                    INSERT INTO upserted (account_id, sequence, email, name) VALUES (?, ?, ?, ?)
                    ON CONFLICT (account_id) DO UPDATE SET sequence = excluded.sequence, email = excluded.email,
                        name = excluded.name
                    WHERE upserted.sequence < excluded.sequence""")) {
                int n = 0;
                for (int a = 0; a < accounts; a++) {
                    for (int e = 1; e <= eventsEach; e++) {
                        upsert.setObject(1, ids.get(a));
                        upsert.setLong(2, e);
                        upsert.setString(3, "person-" + a + "@example.com");
                        upsert.setString(4, "Person " + a + " (" + e + ")");
                        upsert.addBatch();
                        if (++n % 1000 == 0) {
                            upsert.executeBatch();
                            c.commit();
                        }
                    }
                }
                upsert.executeBatch();
                c.commit();
            }
            return events / seconds(started);
        }
    }

    private static final Pattern READ = Pattern.compile(
            Pattern.quote(TOPIC) + ": ([0-9,]+) records read in [0-9.]+ s \\(([0-9,]+) records/s\\)");

    /**
     * Runs the packaged auditor as a user would (its own JVM, its default settings) and returns the rate it reports for
     * reading the log, which leaves out the JVM's start.
     */
    private double auditor(Log log, Path output, Map<String, String> environment, String... command)
            throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", root.resolve("auditor/target/quarkus-app/quarkus-run.jar").toString()));
        line.addAll(List.of(command));
        line.addAll(List.of("--bootstrap-servers", bootstrapServers, "--topic", TOPIC, "--event-keys",
                issuer.eventKeysUrl()));
        Files.createDirectories(output.getParent());
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(environment);
        int exit = builder.start().waitFor();
        String out = Files.readString(output, StandardCharsets.UTF_8);
        Matcher read = READ.matcher(out);
        if (exit != 0 || !read.find()) {
            throw new IllegalStateException("audit " + command[0] + " exited " + exit + "; see " + output);
        }
        long records = Long.parseLong(read.group(1).replace(",", ""));
        if (records != log.events()) {
            throw new IllegalStateException("audit " + command[0] + " read " + records + " records, not "
                    + log.events() + "; see " + output);
        }
        return Double.parseDouble(read.group(2).replace(",", ""));
    }

    static double seconds(long startedNanos) {
        return Math.max(1e-9, (System.nanoTime() - startedNanos) / 1e9);
    }
}
