package dev.usersync.auditor;

import dev.usersync.adapter.consumer.TopicScan;
import java.io.PrintStream;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * A whole-topic read for the auditor's commands ({@link TopicScan}, shared with the adapters' bootstrap), with a
 * consumer that creates no topic, an error for a topic that does not exist, and progress (records read, records/s,
 * position against the end) on a stream every two seconds, then a summary.
 */
final class LogScan {

    private LogScan() {
    }

    /** Hands every record to {@code each}; returns how many were read. {@code from} may be {@code null}. */
    static long scan(Map<String, Object> kafka, String topic, Instant from, PrintStream progress,
            Consumer<ConsumerRecord<byte[], byte[]>> each) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            if (TopicScan.partitions(consumer, topic).isEmpty()) {
                throw new IllegalArgumentException("there is no topic " + topic + " at "
                        + kafka.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
            }
            long started = System.nanoTime();
            long read = TopicScan.scan(consumer, topic, from, each, (sofar, total) -> progress.printf(
                    "  %s: %,d of %,d records read (%.0f%%), %,.0f records/s%n", topic, sofar, total,
                    100.0 * sofar / Math.max(1, total), sofar / ((System.nanoTime() - started) / 1e9)));
            double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
            progress.printf("  %s: %,d records read in %.1f s (%,.0f records/s)%n", topic, read, seconds,
                    read / seconds);
            return read;
        }
    }
}
