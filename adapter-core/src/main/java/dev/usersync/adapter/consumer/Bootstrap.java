package dev.usersync.adapter.consumer;

import dev.usersync.adapter.AdapterConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * First start of an adapter on an empty database: apply the latest event of every account from the compacted state
 * topic (checked and applied like any record, as a snapshot), then start the log's consumer group early enough to
 * replay every revocation a live token may still name: at the first record of the last
 * {@code adapter.auth.revocation-window}, or {@code adapter.consumer.bootstrap-margin} records before the end if that
 * is earlier. Compaction keeps only an account's latest event, so a revocation followed by any other change is not in
 * the state topic; the replayed log puts it back (revocations are applied whatever the sequence guard says), and
 * everything else in it is already applied. Skipped when the cache has rows or the group has committed offsets.
 *
 * <p>Replicas starting together on one database bootstrap once: the first takes a PostgreSQL advisory lock, the others
 * wait for it and then find the cache filled or the offsets committed. Offsets are only set while the group has no
 * member (Kafka refuses otherwise): a replica that finds members leaves the log to them.
 */
final class Bootstrap {

    private static final Logger LOG = Logger.getLogger(Bootstrap.class);

    private Bootstrap() {
    }

    /** The advisory lock of the bootstrap, in the adapter's own database. */
    private static final String LOCK = "hashtextextended('usersync adapter bootstrap', 0)";
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    /** Bootstraps if the cache is empty; while another replica bootstraps, waits for it as long as {@code running}. */
    static void runIfEmpty(AdapterConfig config, Map<String, Object> kafka, DataSource dataSource,
            Consumer<ConsumerRecord<byte[], byte[]>> applyAsSnapshot, BooleanSupplier running)
            throws InterruptedException, ExecutionException, SQLException {
        if (!cacheEmpty(dataSource)) {
            return;
        }
        try (Connection lock = dataSource.getConnection(); Statement statement = lock.createStatement()) {
            if (!lock(statement, running)) {
                return;
            }
            try {
                runLocked(config, kafka, dataSource, applyAsSnapshot);
            } finally {
                try (ResultSet unlocked = statement.executeQuery("SELECT pg_advisory_unlock(" + LOCK + ")")) {
                    if (!unlocked.next() || !unlocked.getBoolean(1)) {
                        LOG.warn("the bootstrap lock was not held at its release");
                    }
                }
            }
        }
    }

    /**
     * Takes the bootstrap lock on {@code statement}'s session, trying again every second (PostgreSQL's lock_timeout,
     * reset before the pooled connection goes back) until it has it or this adapter stops.
     */
    private static boolean lock(Statement statement, BooleanSupplier running) throws SQLException {
        statement.execute("SET lock_timeout = '1s'");
        try {
            while (running.getAsBoolean()) {
                try {
                    statement.execute("SELECT pg_advisory_lock(" + LOCK + ")");
                    return true;
                } catch (SQLException e) {
                    if (!LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                        throw e;
                    }
                }
            }
            return false;
        } finally {
            statement.execute("RESET lock_timeout");
        }
    }

    private static void runLocked(AdapterConfig config, Map<String, Object> kafka, DataSource dataSource,
            Consumer<ConsumerRecord<byte[], byte[]>> applyAsSnapshot)
            throws InterruptedException, ExecutionException, SQLException {
        if (!cacheEmpty(dataSource)) {
            return;
        }
        String group = config.consumerGroup();
        try (Admin admin = Admin.create(kafka)) {
            if (admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().keySet()
                    .stream().anyMatch(p -> p.topic().equals(config.topics().accountLog()))) {
                return;
            }
            if (hasMembers(admin, group)) {
                LOG.infof("the cache is empty but group %s already has members: they follow the log", group);
                return;
            }
            Map<String, Object> props = new HashMap<>(kafka);
            props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
            try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                    new ByteArrayDeserializer())) {
                var partitions = TopicScan.partitions(reader, config.topics().accountLog());
                Map<TopicPartition, Long> logEnd = reader.endOffsets(partitions);
                Map<TopicPartition, Long> windowStart = new HashMap<>();
                long since = Instant.now().minus(config.auth().revocationWindow()).toEpochMilli();
                partitions.forEach(p -> windowStart.put(p, since));
                Map<TopicPartition, OffsetAndTimestamp> inWindow = reader.offsetsForTimes(windowStart);
                long[] applied = {0};
                TopicScan.scan(reader, config.topics().accountState(), null, record -> {
                    applyAsSnapshot.accept(record);
                    applied[0]++;
                }, (read, total) -> LOG.infof("bootstrap: %d of %d records of %s applied", read, total,
                        config.topics().accountState()));
                Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
                logEnd.forEach((partition, end) -> {
                    long margin = Math.max(0, end - config.consumer().bootstrapMargin());
                    OffsetAndTimestamp window = inWindow.get(partition);
                    start.put(partition, new OffsetAndMetadata(window == null ? margin
                            : Math.min(margin, window.offset())));
                });
                try {
                    admin.alterConsumerGroupOffsets(group, start).all().get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof UnknownMemberIdException
                            || e.getCause() instanceof GroupNotEmptyException) {
                        LOG.infof("group %s got a member during the bootstrap: it follows the log from its start",
                                group);
                        return;
                    }
                    throw e;
                }
                LOG.infof("bootstrapped %d accounts from %s; following %s from %s", applied[0],
                        config.topics().accountState(), config.topics().accountLog(), start);
            }
        }
    }

    /** Whether a consumer of the group is connected (Kafka 4 reports a group never used as not found). */
    private static boolean hasMembers(Admin admin, String group) throws InterruptedException, ExecutionException {
        try {
            return !admin.describeConsumerGroups(List.of(group)).all().get().get(group).members().isEmpty();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return false;
            }
            throw e;
        }
    }

    private static boolean cacheEmpty(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); ResultSet row = connection.createStatement()
                .executeQuery("SELECT NOT EXISTS (SELECT 1 FROM sync_accounts)")) {
            row.next();
            return row.getBoolean(1);
        }
    }
}
