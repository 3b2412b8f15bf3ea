package dev.usersync.adapter.consumer;

import dev.usersync.adapter.AdapterConfig;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
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
 */
final class Bootstrap {

    private static final Logger LOG = Logger.getLogger(Bootstrap.class);

    private Bootstrap() {
    }

    static void runIfEmpty(AdapterConfig config, Map<String, Object> kafka, DataSource dataSource,
            Consumer<ConsumerRecord<byte[], byte[]>> applyAsSnapshot)
            throws InterruptedException, ExecutionException, SQLException {
        if (!cacheEmpty(dataSource)) {
            return;
        }
        try (Admin admin = Admin.create(kafka)) {
            if (admin.listConsumerGroupOffsets(config.consumerGroup()).partitionsToOffsetAndMetadata().get().keySet()
                    .stream().anyMatch(p -> p.topic().equals(config.topics().accountLog()))) {
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
                admin.alterConsumerGroupOffsets(config.consumerGroup(), start).all().get();
                LOG.infof("bootstrapped %d accounts from %s; following %s from %s", applied[0],
                        config.topics().accountState(), config.topics().accountLog(), start);
            }
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
