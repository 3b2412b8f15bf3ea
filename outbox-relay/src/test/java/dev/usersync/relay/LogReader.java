package dev.usersync.relay;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersync.events.EventCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from the beginning, every partition, accumulating what it saw. */
final class LogReader implements AutoCloseable {

    private final KafkaConsumer<String, String> consumer;
    private final List<ConsumerRecord<String, String>> records = new ArrayList<>();

    LogReader(String bootstrapServers, String topic) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Reads what arrived since the last call. */
    LogReader poll() {
        pollNew();
        return this;
    }

    /** Reads what arrived since the last call and returns just that. */
    List<ConsumerRecord<String, String>> pollNew() {
        List<ConsumerRecord<String, String>> fresh = new ArrayList<>();
        consumer.poll(Duration.ofMillis(50)).forEach(fresh::add);
        records.addAll(fresh);
        return fresh;
    }

    /** Every record of one account, in log order (one account is one partition). */
    List<ConsumerRecord<String, String>> recordsOf(UUID accountId) {
        return records.stream().filter(r -> accountId.toString().equals(r.key())).toList();
    }

    List<JsonNode> eventsOf(UUID accountId) {
        return recordsOf(accountId).stream()
                .map(r -> EventCodec.parse(r.value().getBytes(StandardCharsets.UTF_8))).toList();
    }

    static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        consumer.close();
    }
}
