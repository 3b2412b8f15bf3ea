package dev.usersync.accounts.relay;

import dev.usersync.events.EventHeaders;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Hands each batch of routed outbox events to Kafka, to the log and to the compacted state topic, and marks the
 * batch processed only after Kafka acknowledged every record of it. If any send fails the batch is not marked, the
 * engine stops, and the restarted engine delivers the batch again: at least once, at most one batch twice.
 * Heartbeats and other records are marked processed so the replication slot keeps advancing.
 */
final class OutboxPublisher implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {

    /** Outbox columns the router places in Connect headers, and the Kafka header names they travel under. */
    static final Map<String, String> HEADERS = Map.of(
            "id", EventHeaders.EVENT_ID,
            "type", EventHeaders.EVENT_TYPE,
            "sequence", EventHeaders.SEQUENCE,
            "schema_version", EventHeaders.SCHEMA_VERSION,
            "traceparent", EventHeaders.TRACEPARENT,
            "tracestate", EventHeaders.TRACESTATE);

    /** The outbox row's creation time, inside the committing transaction: where the latency timer starts. */
    static final String CREATED_AT = "created_at";

    private final Producer<byte[], byte[]> producer;
    private final String logTopic;
    private final String stateTopic;
    private final Counter published;
    private final Timer commitToAck;

    OutboxPublisher(Producer<byte[], byte[]> producer, String logTopic, String stateTopic, Counter published,
            Timer commitToAck) {
        this.producer = producer;
        this.logTopic = logTopic;
        this.stateTopic = stateTopic;
        this.published = published;
        this.commitToAck = commitToAck;
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> batch,
            DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer) throws InterruptedException {
        List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size() * 2);
        List<Instant> changedAt = new ArrayList<>(batch.size());
        for (RecordChangeEvent<SourceRecord> change : batch) {
            SourceRecord record = change.record();
            if (!logTopic.equals(record.topic()) || record.value() == null) {
                continue;
            }
            byte[] key = String.valueOf(record.key()).getBytes(StandardCharsets.UTF_8);
            byte[] value = String.valueOf(record.value()).getBytes(StandardCharsets.UTF_8);
            RecordHeaders headers = new RecordHeaders();
            Instant createdAt = null;
            for (Header header : record.headers()) {
                String name = HEADERS.get(header.key());
                if (name != null && header.value() != null) {
                    headers.add(name, String.valueOf(header.value()).getBytes(StandardCharsets.UTF_8));
                } else if (CREATED_AT.equals(header.key()) && header.value() != null) {
                    createdAt = Instant.parse(String.valueOf(header.value()));
                }
            }
            acks.add(producer.send(new ProducerRecord<>(logTopic, null, key, value, headers)));
            acks.add(producer.send(new ProducerRecord<>(stateTopic, null, key, value, headers)));
            changedAt.add(createdAt);
        }
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException("Kafka did not acknowledge an outbox event; the batch will be "
                        + "delivered again", e.getCause());
            }
        }
        Instant now = Instant.now();
        for (Instant at : changedAt) {
            published.increment();
            if (at != null) {
                commitToAck.record(Duration.between(at, now));
            }
        }
        for (RecordChangeEvent<SourceRecord> change : batch) {
            committer.markProcessed(change);
        }
        committer.markBatchFinished();
    }
}
