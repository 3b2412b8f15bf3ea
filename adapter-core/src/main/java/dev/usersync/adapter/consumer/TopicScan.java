package dev.usersync.adapter.consumer;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a topic with an assigned consumer (no group, nothing committed), every partition in its own order, from the
 * beginning or from the first record at or after a time, up to where it ended when the scan started. The adapter's
 * bootstrap reads the state topic with it; the auditor reads the log.
 */
public final class TopicScan {

    /** How often {@link Progress} hears of a long scan. */
    public static final Duration REPORT_EVERY = Duration.ofSeconds(2);

    /** Told of a long scan's position now and then. */
    public interface Progress {
        void at(long read, long total);
    }

    private TopicScan() {
    }

    /** The partitions of {@code topic}; empty when it does not exist. */
    public static List<TopicPartition> partitions(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        return consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
    }

    /** Hands every record to {@code each}; returns how many were read. {@code from} may be {@code null}. */
    public static long scan(KafkaConsumer<byte[], byte[]> consumer, String topic, Instant from,
            Consumer<ConsumerRecord<byte[], byte[]>> each, Progress progress) {
        List<TopicPartition> partitions = partitions(consumer, topic);
        consumer.assign(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> start = startOffsets(consumer, partitions, end, from);
        start.forEach(consumer::seek);
        long total = partitions.stream().mapToLong(p -> end.get(p) - start.get(p)).sum();
        long read = 0;
        long lastReport = System.nanoTime();
        while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
                    each.accept(record);
                    read++;
                }
            }
            if (System.nanoTime() - lastReport > REPORT_EVERY.toNanos()) {
                lastReport = System.nanoTime();
                progress.at(read, total);
            }
        }
        return read;
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
