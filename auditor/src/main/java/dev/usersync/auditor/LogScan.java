package dev.usersync.auditor;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic, every partition in its own order, from the beginning (or from the first record at or after a time)
 * up to where it ended when the scan started. It joins no consumer group, commits nothing and creates no topic.
 * Progress (records read, records/s, position against the end) goes to a stream every two seconds, and a summary at
 * the end.
 */
final class LogScan {

    /** How often long runs report progress. */
    static final long REPORT_EVERY_NANOS = 2_000_000_000L;

    private LogScan() {
    }

    /** Hands every record to {@code each}; returns how many were read. {@code from} may be {@code null}. */
    static long scan(String bootstrapServers, String topic, Instant from, PrintStream progress,
            Consumer<ConsumerRecord<byte[], byte[]>> each) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000,
                ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 * 1024 * 1024), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            if (partitions.isEmpty()) {
                throw new IllegalArgumentException("there is no topic " + topic + " at " + bootstrapServers);
            }
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<TopicPartition, Long> start = startOffsets(consumer, partitions, end, from);
            start.forEach(consumer::seek);
            long total = partitions.stream().mapToLong(p -> end.get(p) - start.get(p)).sum();
            long read = 0;
            long started = System.nanoTime();
            long lastReport = started;
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                        each.accept(record);
                        read++;
                    }
                }
                long now = System.nanoTime();
                if (now - lastReport > REPORT_EVERY_NANOS) {
                    lastReport = now;
                    progress.printf("  %s: %,d of %,d records read (%.0f%%), %,.0f records/s%n", topic, read, total,
                            100.0 * read / Math.max(1, total), read / ((now - started) / 1e9));
                }
            }
            double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
            progress.printf("  %s: %,d records read in %.1f s (%,.0f records/s)%n", topic, read, seconds,
                    read / seconds);
            return read;
        }
    }

    private static Map<TopicPartition, Long> startOffsets(KafkaConsumer<byte[], byte[]> consumer,
            List<TopicPartition> partitions, Map<TopicPartition, Long> end, Instant from) {
        if (from == null) {
            return consumer.beginningOffsets(partitions);
        }
        Map<TopicPartition, Long> at = new HashMap<>();
        partitions.forEach(p -> at.put(p, from.toEpochMilli()));
        Map<TopicPartition, Long> start = new HashMap<>();
        consumer.offsetsForTimes(at).forEach((partition, found) -> start.put(partition,
                found == null ? end.get(partition) : found.offset()));
        return start;
    }
}
