package dev.usersync.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * The publisher's contract with the engine, against Kafka's MockProducer: a batch is marked processed (so its
 * offsets may be committed) only after Kafka acknowledged every record of it, and never when a send failed.
 */
class OutboxPublisherTest {

    private final MockProducer<byte[], byte[]> producer = new MockProducer<>(false, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    private final OutboxPublisher publisher = new OutboxPublisher(producer, "log", "state",
            registry.counter("published"), registry.timer("latency"), SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans)).build().get("test"));
    private final Committer committer = new Committer();

    @Test
    void nothingIsMarkedUntilKafkaAcknowledgedEveryRecordOfTheBatch() {
        List<RecordChangeEvent<SourceRecord>> batch = List.of(event("a", 1), event("b", 1), heartbeat());

        CompletableFuture<Void> handled = CompletableFuture.runAsync(() -> handle(batch));
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 4);
        assertThat(committer.marked).isEmpty();
        assertThat(committer.batchFinished).isFalse();

        for (int i = 0; i < 4; i++) {
            producer.completeNext();
        }
        handled.join();

        assertThat(committer.marked).hasSize(3);
        assertThat(committer.batchFinished).isTrue();
        assertThat(producer.history()).extracting(r -> r.topic()).containsExactly("log", "state", "log", "state");
        assertThat(new String(producer.history().get(0).headers().lastHeader("event-id").value(),
                StandardCharsets.UTF_8)).isEqualTo("id-a-1");
    }

    @Test
    void aFailedSendLeavesTheWholeBatchUnmarkedSoItIsDeliveredAgain() {
        List<RecordChangeEvent<SourceRecord>> batch = List.of(event("a", 1), event("a", 2));

        CompletableFuture<Void> handled = CompletableFuture.runAsync(() -> handle(batch));
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 4);
        producer.completeNext();
        producer.errorNext(new org.apache.kafka.common.errors.TimeoutException("broker gone"));
        producer.completeNext();
        producer.completeNext();

        assertThatThrownBy(handled::join).hasRootCauseMessage("broker gone");
        assertThat(committer.marked).isEmpty();
        assertThat(committer.batchFinished).isFalse();
    }

    @Test
    void thePublishSpanIsAChildOfTheOutboxSpanTheEventNamesAndTheRecordKeepsTheEventsContext() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        String outboxSpan = "00f067aa0ba902b7";
        String traceparent = "00-" + traceId + "-" + outboxSpan + "-01";
        RecordChangeEvent<SourceRecord> traced = event("a", 1);
        traced.record().headers().addString("traceparent", traceparent);

        CompletableFuture<Void> handled = CompletableFuture.runAsync(() -> handle(List.of(traced, event("b", 1))));
        await().atMost(Duration.ofSeconds(5)).until(() -> producer.history().size() == 4);
        for (int i = 0; i < 4; i++) {
            producer.completeNext();
        }
        handled.join();

        assertThat(spans.getFinishedSpanItems()).singleElement().satisfies(span -> {
            assertThat(span.getName()).isEqualTo("log publish");
            assertThat(span.getKind()).isEqualTo(SpanKind.PRODUCER);
            assertThat(span.getTraceId()).isEqualTo(traceId);
            assertThat(span.getParentSpanId()).isEqualTo(outboxSpan);
        });
        assertThat(new String(producer.history().get(0).headers().lastHeader("traceparent").value(),
                StandardCharsets.UTF_8)).isEqualTo(traceparent);
    }

    private void handle(List<RecordChangeEvent<SourceRecord>> batch) {
        try {
            publisher.handleBatch(batch, committer);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RecordChangeEvent<SourceRecord> event(String account, long sequence) {
        ConnectHeaders headers = new ConnectHeaders();
        headers.addString("id", "id-" + account + "-" + sequence);
        headers.addString("type", "AccountUpdated");
        headers.addLong("sequence", sequence);
        SourceRecord record = new SourceRecord(Map.of(), Map.of("lsn", sequence), "log", null, Schema.STRING_SCHEMA,
                account, Schema.STRING_SCHEMA, "{\"sequence\":" + sequence + "}", System.currentTimeMillis(),
                headers);
        return () -> record;
    }

    private static RecordChangeEvent<SourceRecord> heartbeat() {
        SourceRecord record = new SourceRecord(Map.of(), Map.of("lsn", 0), "__debezium-heartbeat.accounts", null,
                null, null, null);
        return () -> record;
    }

    private static final class Committer implements DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> {
        final List<RecordChangeEvent<SourceRecord>> marked = new ArrayList<>();
        volatile boolean batchFinished;

        @Override
        public synchronized void markProcessed(RecordChangeEvent<SourceRecord> record) {
            marked.add(record);
        }

        @Override
        public void markBatchFinished() {
            batchFinished = true;
        }

        @Override
        public void markProcessed(RecordChangeEvent<SourceRecord> record, DebeziumEngine.Offsets offsets) {
            markProcessed(record);
        }

        @Override
        public DebeziumEngine.Offsets buildOffsets() {
            throw new UnsupportedOperationException();
        }
    }
}
