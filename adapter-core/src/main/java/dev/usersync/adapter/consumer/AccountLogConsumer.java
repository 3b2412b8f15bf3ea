package dev.usersync.adapter.consumer;

import dev.usersync.adapter.AdapterConfig;
import dev.usersync.adapter.sync.AccountSync;
import dev.usersync.adapter.sync.LogRecord;
import dev.usersync.events.AccountEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
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
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * Consumes the account log for one product (one consumer group per product) and applies every event through
 * {@link AccountSync}. An event that keeps failing goes to the dead-letter topic; a database that is unavailable stops
 * the batch instead, and consumption starts over from the committed offsets after a pause. Events of different accounts are applied in parallel, those of one account in log order by one
 * thread. Offsets are committed only after every event of a poll was applied (each in its own committed transaction)
 * or dead-lettered: a crash repeats at most that poll, and the sequence guard makes the repeat a no-op.
 */
@ApplicationScoped
public class AccountLogConsumer {

    private static final Logger LOG = Logger.getLogger(AccountLogConsumer.class);

    private final AdapterConfig config;
    private final AccountSync sync;
    private final Map<String, Object> kafka;
    private final DataSource dataSource;
    private final Counter applied;
    private final Counter skipped;
    private final Counter deadLettered;
    private final Timer applyTime;
    private final Timer propagation;

    private volatile boolean running;
    private volatile long lag = -1;
    private volatile String lastError;
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    private Thread thread;

    public AccountLogConsumer(AdapterConfig config, AccountSync sync,
            @Identifier("default-kafka-broker") Map<String, Object> kafka, MeterRegistry registry,
            DataSource dataSource) {
        this.config = config;
        this.dataSource = dataSource;
        this.sync = sync;
        this.kafka = kafka;
        this.applied = Counter.builder("adapter.events.applied").register(registry);
        this.skipped = Counter.builder("adapter.events.already.applied")
                .description("Redeliveries and older events that changed nothing").register(registry);
        this.deadLettered = Counter.builder("adapter.events.dead.lettered").register(registry);
        this.applyTime = Timer.builder("adapter.apply").description("Time to apply one event")
                .publishPercentiles(0.5, 0.99).register(registry);
        this.propagation = Timer.builder("adapter.propagation")
                .description("From the event's commit in accounts to its local commit here")
                .publishPercentiles(0.5, 0.99).register(registry);
        io.micrometer.core.instrument.Gauge.builder("adapter.consumer.lag", this, c -> c.lag)
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
                Bootstrap.runIfEmpty(config, kafka, dataSource, sync);
                consume();
                backoff = 1_000;
            } catch (Exception e) {
                lastError = e.getMessage();
                LOG.errorf("the account log consumer failed (%s); uncommitted records will be delivered again",
                        e.getMessage());
                sleep(backoff);
                backoff = Math.min(backoff * 2, 30_000);
            }
        }
    }

    private void consume() throws Exception {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumerGroup());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.consumer().maxPollRecords());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, config.consumerGroup());
        ExecutorService workers = Executors.newFixedThreadPool(config.consumer().threads(),
                r -> new Thread(r, config.product() + "-apply"));
        try (KafkaConsumer<byte[], byte[]> kafkaConsumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer()); DeadLetters deadLetters = new DeadLetters(kafka,
                        config.deadLetterTopic())) {
            consumer = kafkaConsumer;
            kafkaConsumer.subscribe(List.of(config.topics().accountLog()));
            while (running) {
                ConsumerRecords<byte[], byte[]> records = kafkaConsumer.poll(Duration.ofMillis(500));
                if (records.isEmpty()) {
                    lag = lagOf(kafkaConsumer);
                    continue;
                }
                Map<String, List<ConsumerRecord<byte[], byte[]>>> byAccount = new LinkedHashMap<>();
                for (ConsumerRecord<byte[], byte[]> record : records) {
                    String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
                    byAccount.computeIfAbsent(key, k -> new ArrayList<>()).add(record);
                }
                List<Future<?>> done = new ArrayList<>(byAccount.size());
                for (List<ConsumerRecord<byte[], byte[]>> ofOneAccount : byAccount.values()) {
                    done.add(workers.submit(() -> ofOneAccount.forEach(r -> handle(r, deadLetters))));
                }
                for (Future<?> f : done) {
                    f.get();
                }
                kafkaConsumer.commitSync();
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

    private void handle(ConsumerRecord<byte[], byte[]> record, DeadLetters deadLetters) {
        LogRecord read = LogRecord.read(record.key(), record.value());
        if (read.rejected()) {
            deadLetter(deadLetters, record, read.rejection());
            return;
        }
        AccountEvent event = read.event();
        RuntimeException last = null;
        for (int attempt = 1; attempt <= config.consumer().maxAttempts(); attempt++) {
            long start = System.nanoTime();
            try {
                AccountSync.Outcome outcome = sync.apply(event);
                applyTime.record(Duration.ofNanos(System.nanoTime() - start));
                if (outcome == AccountSync.Outcome.APPLIED) {
                    applied.increment();
                    propagation.record(Duration.between(event.occurredAt(), Instant.now()));
                } else {
                    skipped.increment();
                }
                return;
            } catch (RuntimeException e) {
                if (Failures.transientFailure(e)) {
                    throw new IllegalStateException("the database is unavailable; the batch will be applied again", e);
                }
                last = e;
                LOG.warnf("applying event %s (account %s, sequence %d) failed, attempt %d: %s", event.eventId(),
                        event.accountId(), event.sequence(), attempt, e.getClass().getSimpleName());
                pause();
            }
        }
        deadLetter(deadLetters, record, "apply failed " + config.consumer().maxAttempts() + " times: " + last);
    }

    private void deadLetter(DeadLetters deadLetters, ConsumerRecord<byte[], byte[]> record, String reason) {
        deadLetters.send(record, reason);
        deadLettered.increment();
        LOG.warnf("dead-lettered %s/%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
    }

    private void pause() {
        sleep(config.consumer().retryBackoff().toMillis());
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
