package dev.usersync.adapter.consumer;

import dev.usersync.adapter.AdapterConfig;
import dev.usersync.adapter.sync.AccountSync;
import dev.usersync.events.EventCodec;
import dev.usersync.events.EventFormatException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * First start of an adapter on an empty database: apply the latest event of every account from the compacted state
 * topic (through the same apply step), then start the log's consumer group near the end of the log instead of at the
 * beginning of years of history. Skipped when the cache has rows or the group has committed offsets.
 */
final class Bootstrap {

    private static final Logger LOG = Logger.getLogger(Bootstrap.class);

    private Bootstrap() {
    }

    static void runIfEmpty(AdapterConfig config, Map<String, Object> kafka, DataSource dataSource, AccountSync sync)
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
                Map<TopicPartition, Long> logEnd = reader.endOffsets(TopicScan.partitions(reader,
                        config.topics().accountLog()));
                long applied = applyStateTopic(reader, config.topics().accountState(), sync);
                Map<TopicPartition, OffsetAndMetadata> start = new HashMap<>();
                logEnd.forEach((partition, end) -> start.put(partition,
                        new OffsetAndMetadata(Math.max(0, end - config.consumer().bootstrapMargin()))));
                admin.alterConsumerGroupOffsets(config.consumerGroup(), start).all().get();
                LOG.infof("bootstrapped %d accounts from %s; following %s from %s", applied,
                        config.topics().accountState(), config.topics().accountLog(), start);
            }
        }
    }

    private static long applyStateTopic(KafkaConsumer<byte[], byte[]> reader, String topic, AccountSync sync) {
        long[] applied = {0};
        TopicScan.scan(reader, topic, null, record -> {
            try {
                if (sync.apply(EventCodec.fromBytes(record.value())) == AccountSync.Outcome.APPLIED) {
                    applied[0]++;
                }
            } catch (EventFormatException e) {
                LOG.warnf("skipped an unreadable state record at %s/%d@%d: %s", record.topic(), record.partition(),
                        record.offset(), e.getMessage());
            }
        }, (read, total) -> LOG.infof("bootstrap: %d of %d records of %s applied", read, total, topic));
        return applied[0];
    }

    private static boolean cacheEmpty(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection(); ResultSet row = connection.createStatement()
                .executeQuery("SELECT NOT EXISTS (SELECT 1 FROM sync_accounts)")) {
            row.next();
            return row.getBoolean(1);
        }
    }
}
