package dev.usersync.relay;

import dev.usersync.events.EventHeaders;
import dev.usersync.web.Traces;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
    private final Tracer tracer;

    OutboxPublisher(Producer<byte[], byte[]> producer, String logTopic, String stateTopic, Counter published,
            Timer commitToAck, Tracer tracer) {
        this.tracer = tracer;
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
        List<Span> spans = new ArrayList<>();
        for (RecordChangeEvent<SourceRecord> change : batch) {
            SourceRecord record = change.record();
            if (!logTopic.equals(record.topic()) || record.value() == null) {
                continue;
            }
            byte[] key = String.valueOf(record.key()).getBytes(StandardCharsets.UTF_8);
            byte[] value = String.valueOf(record.value()).getBytes(StandardCharsets.UTF_8);
            RecordHeaders headers = new RecordHeaders();
            Map<String, String> trace = new HashMap<>();
            Instant createdAt = null;
            for (Header header : record.headers()) {
                String name = HEADERS.get(header.key());
                if (name != null && header.value() != null) {
                    headers.add(name, String.valueOf(header.value()).getBytes(StandardCharsets.UTF_8));
                    trace.put(name, String.valueOf(header.value()));
                } else if (CREATED_AT.equals(header.key()) && header.value() != null) {
                    createdAt = Instant.parse(String.valueOf(header.value()));
                }
            }
            if (trace.containsKey(EventHeaders.TRACEPARENT)) {
                // The record keeps the event's own trace context (the outbox span's, signed into the event): the
                // publish span and every adapter's apply span are children of the outbox span.
                spans.add(tracer.spanBuilder(logTopic + " publish").setSpanKind(SpanKind.PRODUCER)
                        .setParent(Traces.parent(trace::get)).setAttribute("messaging.system", "kafka")
                        .setAttribute("messaging.destination.name", logTopic).startSpan());
            }
            acks.add(producer.send(new ProducerRecord<>(logTopic, null, key, value, headers)));
            acks.add(producer.send(new ProducerRecord<>(stateTopic, null, key, value, headers)));
            changedAt.add(createdAt);
        }
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
            } catch (ExecutionException e) {
                spans.forEach(span -> span.setStatus(StatusCode.ERROR).end());
                throw new IllegalStateException("Kafka did not acknowledge an outbox event; the batch will be "
                        + "delivered again", e.getCause());
            }
        }
        spans.forEach(Span::end);
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
