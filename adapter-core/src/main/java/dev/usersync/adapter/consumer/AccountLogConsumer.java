package dev.usersync.adapter.consumer;

import dev.usersync.adapter.AdapterConfig;
import dev.usersync.events.EventHeaders;
import dev.usersync.events.TraceContext;
import dev.usersync.web.Traces;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * Consumes the account log for one product (one consumer group per product) and applies every record through
 * {@link RecordApplier}. A record that is not the accounts service's, breaks its account's chain, or keeps failing
 * goes to the dead-letter topic with the reason (its revocations, if it is authentic, are recorded first); a database
 * or key set that is unavailable stops the batch instead, and consumption starts over from the committed offsets after
 * a pause. A poll is split among the apply threads by account ({@link #shares}); each thread applies its share in one
 * transaction where it can ({@link RecordApplier#applyAll}), an account's records in log order. Offsets are committed
 * only after every record of a poll was applied (committed) or dead-lettered: a crash repeats at most that poll, and
 * the sequence guard makes the repeat a no-op.
 */
@ApplicationScoped
public class AccountLogConsumer {

    private static final Logger LOG = Logger.getLogger(AccountLogConsumer.class);

    private final AdapterConfig config;
    private final RecordApplier applier;
    private final Map<String, Object> kafka;
    private final DataSource dataSource;
    private final Counter deadLettered;
    private final Timer propagation;
    private final Tracer tracer;
    private final boolean tracing = Traces.enabled();
    /**
     * Buckets of {@code adapter_propagation_seconds}, fine enough to read p50 and p99 of any window from two scrapes
     * (the benchmark harness does) or with {@code histogram_quantile} in Prometheus.
     */
    static final Duration[] PROPAGATION_BUCKETS = LongStream.of(2, 4, 6, 8, 10, 12, 15, 20, 25, 30,
            40, 50, 60, 80, 100, 125, 150, 200, 250, 300, 400, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000, 30000)
            .mapToObj(Duration::ofMillis).toArray(Duration[]::new);

    private volatile boolean running;
    private volatile long lag = -1;
    private volatile String lastError;
    private volatile boolean progressed;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    public AccountLogConsumer(AdapterConfig config, RecordApplier applier,
            @Identifier("default-kafka-broker") Map<String, Object> kafka, MeterRegistry registry,
            DataSource dataSource, Tracer tracer) {
        this.tracer = Traces.tracer(tracer);
        this.config = config;
        this.dataSource = dataSource;
        this.applier = applier;
        this.kafka = kafka;
        this.deadLettered = Counter.builder("adapter.events.dead.lettered").register(registry);
        this.propagation = Timer.builder("adapter.propagation")
                .description("From the event's commit in accounts to its local commit here")
                .publishPercentiles(0.5, 0.99).serviceLevelObjectives(PROPAGATION_BUCKETS).register(registry);
        Gauge.builder("adapter.consumer.lag", this, c -> c.lag)
                .description("Records of the account log not yet applied here (-1: unknown)").register(registry);
    }

    void onStart(@Observes StartupEvent start) {
        if (config.consumer().enabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent stop) {
        stop();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        thread = new Thread(this::run, config.product() + "-account-log");
        thread.start();
    }

    /** Stops after the poll in progress is applied and committed. */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        KafkaConsumer<byte[], byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public boolean running() {
        return running && thread != null && thread.isAlive();
    }

    /** Records behind the end of the log after the last poll, or -1 before the first. */
    public long lag() {
        return lag;
    }

    public String lastError() {
        return lastError;
    }

    /** Consumes until stopped; after a failure, starts over from the last committed offsets after a pause. */
    private void run() {
        long backoff = 1_000;
        while (running) {
            try {
                DeadLetters.ensureTopic(kafka, config.deadLetterTopic());
                try (DeadLetters deadLetters = new DeadLetters(kafka, config.deadLetterTopic())) {
                    Bootstrap.runIfEmpty(config, kafka, dataSource, record -> handle(record, deadLetters, true),
                            () -> running);
                    consume(deadLetters);
                }
                backoff = 1_000;
            } catch (Exception e) {
                lastError = e.getMessage() == null || e.getMessage().length() <= 300 ? e.getMessage()
                        : e.getMessage().substring(0, 300) + "...";
                LOG.errorf("the account log consumer failed (%s); uncommitted records will be delivered again",
                        e.getMessage());
                if (progressed) {
                    progressed = false;
                    backoff = 1_000; // the pauses grow only while nothing gets through
                }
                sleep(backoff);
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }

    private void consume(DeadLetters deadLetters) throws Exception {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.consumer().maxPollRecords());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, config.consumerGroup());
        int session = (int) config.consumer().sessionTimeout().toMillis();
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, session);
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, session / 3);
        ExecutorService workers = Executors.newFixedThreadPool(config.consumer().threads(),
                r -> new Thread(r, config.product() + "-apply"));
        try (KafkaConsumer<byte[], byte[]> kafkaConsumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = kafkaConsumer;
            kafkaConsumer.subscribe(List.of(config.topics().accountLog()));
            while (running) {
                ConsumerRecords<byte[], byte[]> records = kafkaConsumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    lag = lagOf(kafkaConsumer);
                    continue;
                }
                List<List<ConsumerRecord<byte[], byte[]>>> shares = shares(records, config.consumer().threads());
                List<Future<?>> done = new ArrayList<>(shares.size());
                for (List<ConsumerRecord<byte[], byte[]>> share : shares) {
                    done.add(workers.submit(() -> {
                        Instant started = Instant.now();
                        List<RecordApplier.Result> results = applier.applyAll(share);
                        for (int i = 0; i < share.size(); i++) {
                            handled(share.get(i), results.get(i), deadLetters, false);
                            traced(share.get(i), results.get(i), started);
                        }
                    }));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                kafkaConsumer.commitSync();
                progressed = true;
                lag = lagOf(kafkaConsumer);
                lastError = null;
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            workers.shutdownNow();
            consumer = null;
        }
    }

    private static long lagOf(KafkaConsumer<byte[], byte[]> consumer) {
        long behind = 0;
        for (var partition : consumer.assignment()) {
            var end = consumer.currentLag(partition);
            if (end.isPresent()) {
                behind += end.getAsLong();
            }
        }
        return behind;
    }

    /**
     * Splits a poll among the apply threads: all records of an account go to one share, in log order, and the shares
     * are about the same size.
     */
    static List<List<ConsumerRecord<byte[], byte[]>>> shares(ConsumerRecords<byte[], byte[]> records, int threads) {
        Map<String, List<ConsumerRecord<byte[], byte[]>>> byAccount = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
            byAccount.computeIfAbsent(key, k -> new ArrayList<>()).add(record);
        }
        List<List<ConsumerRecord<byte[], byte[]>>> shares = new ArrayList<>();
        int perShare = Math.max(1, (records.count() + threads - 1) / threads);
        List<ConsumerRecord<byte[], byte[]>> share = new ArrayList<>();
        for (List<ConsumerRecord<byte[], byte[]>> ofOneAccount : byAccount.values()) {
            share.addAll(ofOneAccount);
            if (share.size() >= perShare) {
                shares.add(share);
                share = new ArrayList<>();
            }
        }
        if (!share.isEmpty()) {
            shares.add(share);
        }
        return shares;
    }

    private void handle(ConsumerRecord<byte[], byte[]> record, DeadLetters deadLetters, boolean asSnapshot) {
        handled(record, applier.apply(record.key(), record.value(), asSnapshot), deadLetters, asSnapshot);
    }

    private void handled(ConsumerRecord<byte[], byte[]> record, RecordApplier.Result result, DeadLetters deadLetters,
            boolean asSnapshot) {
        switch (result.kind()) {
            case REJECTED, FAILED -> deadLetter(deadLetters, record, result.reason());
            case APPLIED, APPLIED_AFTER_GAP -> {
                if (!asSnapshot) {
                    propagation.record(Duration.between(result.event().occurredAt(), Instant.now()));
                }
            }
            case ALREADY_APPLIED -> {
            }
        }
    }

    /**
     * Records the apply of a record as a span of the change's trace (a child of the outbox span its checked event
     * names in its signed {@code trace}), from the start of its share's transaction to now; nothing when tracing is
     * off, or for a record that names no trace or could not be checked.
     */
    private void traced(ConsumerRecord<byte[], byte[]> record, RecordApplier.Result result, Instant started) {
        TraceContext trace = !tracing || result.event() == null ? null : result.event().trace();
        if (trace == null) {
            return; // nothing to continue, or not an event this adapter could check
        }
        Span span = tracer.spanBuilder(record.topic() + " process").setSpanKind(SpanKind.CONSUMER)
                .setParent(Traces.parent(name -> name.equals(EventHeaders.TRACEPARENT) ? trace.traceparent() : null))
                .setStartTimestamp(started).setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.destination.name", record.topic())
                .setAttribute("messaging.consumer.group.name", config.consumerGroup())
                .setAttribute("messaging.destination.partition.id", Integer.toString(record.partition()))
                .setAttribute("messaging.kafka.offset", record.offset())
                .setAttribute("adapter.result", result.kind().name()).startSpan();
        if (result.kind() == RecordApplier.Kind.REJECTED || result.kind() == RecordApplier.Kind.FAILED) {
            span.setStatus(StatusCode.ERROR); // the reason may quote a database error, with personal data in it
        }
        span.end();
    }

    private void deadLetter(DeadLetters deadLetters, ConsumerRecord<byte[], byte[]> record, String reason) {
        deadLetters.send(record, reason);
        deadLettered.increment();
        LOG.warnf("dead-lettered %s/%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
