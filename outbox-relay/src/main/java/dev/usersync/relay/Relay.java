package dev.usersync.relay;

import dev.usersync.web.Traces;
import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.source.SourceRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The outbox relay. Every instance competes for one PostgreSQL advisory lock; the holder runs the embedded Debezium
 * engine (PostgreSQL connector, pgoutput, no snapshot, the outbox event router) and publishes through
 * {@link OutboxPublisher}. Offsets live in PostgreSQL ({@code relay_offsets}), so whichever instance leads next
 * resumes where the last one committed. A failed engine restarts with back-off; a lost lock stops it at once.
 */
@ApplicationScoped
public class Relay {

    /** What the relay of this instance is doing. */
    public enum State {
        DISABLED,
        STANDBY,
        STARTING,
        RUNNING,
        BACKING_OFF,
        STOPPED
    }

    private static final Logger LOG = Logger.getLogger(Relay.class);
    private static final long LEADER_LOCK = 0x4F5554424F584C44L; // "OUTBOXLD"

    private final RelayConfig config;
    private final Tracer tracer;
    private final DataSource dataSource;
    private final String jdbcUrl;
    private final String user;
    private final String password;
    private final Map<String, Object> kafka;
    private final Counter published;
    private final Timer commitToAck;

    private ScheduledExecutorService loop;
    private AdvisoryLock lock;
    private ExecutorService engineThread;
    private volatile DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private int generation;
    private KafkaProducer<byte[], byte[]> producer;
    private volatile State state = State.STOPPED;
    private volatile boolean leader;
    private volatile String lastError;
    private volatile long slotLagBytes = -1;
    private int failures;
    private Instant restartAt = Instant.MIN;

    public Relay(RelayConfig config, MeterRegistry registry, DataSource dataSource,
            @ConfigProperty(name = "quarkus.datasource.jdbc.url") String jdbcUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String user,
            @ConfigProperty(name = "quarkus.datasource.password") String password,
            @Identifier("default-kafka-broker") Map<String, Object> kafka, Tracer tracer) {
        this.tracer = Traces.tracer(tracer);
        this.config = config;
        this.dataSource = dataSource;
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.kafka = kafka;
        this.published = Counter.builder("relay.events.published")
                .description("Outbox events acknowledged by Kafka").register(registry);
        this.commitToAck = Timer.builder("relay.commit.to.ack")
                .description("From the outbox transaction's commit to Kafka's acknowledgement")
                .publishPercentiles(0.5, 0.99).register(registry);
        Gauge.builder("relay.replication.slot.lag", this, r -> r.slotLagBytes).baseUnit("bytes")
                .description("WAL the replication slot holds beyond what the relay confirmed (-1: unknown)")
                .register(registry);
        Gauge.builder("relay.leader", this, r -> r.leader ? 1 : 0)
                .description("1 while this instance runs the relay").register(registry);
    }

    void onStart(@Observes StartupEvent start) {
        start();
    }

    void onStop(@Observes ShutdownEvent stop) {
        stop();
    }

    /** Joins leader election; the instance that wins runs the engine. */
    public synchronized void start() {
        if (!config.enabled()) {
            state = State.DISABLED;
            return;
        }
        lock = new AdvisoryLock(jdbcUrl, user, password, LEADER_LOCK);
        state = State.STANDBY;
        loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "relay-leader"));
        loop.scheduleWithFixedDelay(this::tick, 0, config.leaderCheckInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops the engine (committing what Kafka acknowledged) and gives up leadership. */
    public synchronized void stop() {
        if (loop != null) {
            loop.shutdownNow();
        }
        stopEngine();
        if (lock != null) {
            lock.close();
        }
        leader = false;
        state = config.enabled() ? State.STOPPED : State.DISABLED;
    }

    public State state() {
        return state;
    }

    public boolean leader() {
        return leader;
    }

    public String lastError() {
        return lastError;
    }

    public long slotLagBytes() {
        return slotLagBytes;
    }

    public String slotName() {
        return config.slot().orElseGet(() -> "outbox_" + database().replaceAll("[^a-z0-9_]", "_"));
    }

    private synchronized void tick() {
        try {
            if (!leader) {
                if (lock.tryAcquire()) {
                    leader = true;
                    LOG.infof("this instance leads the outbox relay (slot %s)", slotName());
                    startEngine();
                }
                return;
            }
            if (!lock.stillHeld()) {
                LOG.warn("lost the relay leader lock; stopping the engine");
                stopEngine();
                lock.close();
                leader = false;
                state = State.STANDBY;
                return;
            }
            if (engine == null && !Instant.now().isBefore(restartAt)) {
                startEngine();
            }
            slotLagBytes = readSlotLag();
        } catch (RuntimeException e) {
            LOG.warn("relay leader check failed", e);
        }
    }

    private void startEngine() {
        state = State.STARTING;
        try {
            RelayTopics.ensure(kafka, config.topics());
        } catch (RuntimeException | InterruptedException e) {
            failed("topics: " + e.getMessage());
            return;
        }
        producer = new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
        OutboxPublisher publisher = new OutboxPublisher(producer, config.topics().log(), config.topics().state(),
                published, commitToAck, tracer);
        DebeziumEngine<RecordChangeEvent<SourceRecord>> created = DebeziumEngine
                .create(ChangeEventFormat.of(Connect.class))
                .using(engineConfig())
                .notifying(publisher)
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void taskStarted() {
                        state = State.RUNNING;
                        failures = 0;
                        lastError = null;
                    }
                })
                .using(ended(++generation))
                .build();
        engine = created;
        engineThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "relay-engine"));
        engineThread.execute(created);
    }

    /**
     * Called on the engine's thread when it ends. Handled on the leader thread, so a stop that is closing the engine
     * (and holds this object's monitor) is never waited on from here; a deliberate stop has cleared the engine first.
     */
    private DebeziumEngine.CompletionCallback ended(int engineGeneration) {
        return (success, message, error) -> {
            ScheduledExecutorService leaderLoop = loop;
            if (engine != null && leaderLoop != null && !leaderLoop.isShutdown()) {
                leaderLoop.execute(() -> onEngineEnd(engineGeneration, message, error));
            }
        };
    }

    private synchronized void onEngineEnd(int engineGeneration, String message, Throwable error) {
        if (engine == null || engineGeneration != generation) {
            return;
        }
        engine = null;
        if (engineThread != null) {
            engineThread.shutdown();
        }
        closeProducer();
        failed(message + (error == null ? "" : ": " + error.getMessage()));
    }

    private void failed(String reason) {
        failures++;
        long backoff = Math.min(config.maxRestartBackoff().toMillis(),
                config.restartBackoff().toMillis() << Math.min(failures - 1, 16));
        restartAt = Instant.now().plusMillis(backoff);
        lastError = reason;
        state = State.BACKING_OFF;
        LOG.warnf("outbox relay stopped (%s); restarting in %d ms", reason, backoff);
    }

    private void stopEngine() {
        DebeziumEngine<RecordChangeEvent<SourceRecord>> running = engine;
        engine = null;
        state = State.STOPPED;
        if (running != null) {
            try {
                running.close();
            } catch (Exception e) {
                LOG.warn("the engine did not close cleanly", e);
            }
        }
        if (engineThread != null) {
            engineThread.shutdown();
            try {
                engineThread.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeProducer();
    }

    private void closeProducer() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    /** Every {@code kafka.*} property of the service (bootstrap servers, TLS, SASL), then what the relay needs. */
    private Map<String, Object> producerConfig() {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "accounts-relay");
        return props;
    }

    private Properties engineConfig() {
        URI db = URI.create(jdbcUrl.substring("jdbc:".length()));
        Properties props = new Properties();
        props.setProperty("name", "accounts-outbox-relay");
        props.setProperty("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        props.setProperty("database.hostname", db.getHost());
        props.setProperty("database.port", Integer.toString(db.getPort() < 0 ? 5432 : db.getPort()));
        props.setProperty("database.user", user);
        props.setProperty("database.password", password);
        props.setProperty("database.dbname", database());
        props.setProperty("topic.prefix", "accounts");
        props.setProperty("plugin.name", "pgoutput");
        props.setProperty("slot.name", slotName());
        props.setProperty("publication.name", config.publication());
        props.setProperty("publication.autocreate.mode", "disabled");
        props.setProperty("slot.failover", Boolean.toString(config.slotFailover()));
        props.setProperty("table.include.list", "public.outbox,public.relay_heartbeat");
        props.setProperty("snapshot.mode", "no_data");
        props.setProperty("tombstones.on.delete", "false");
        props.setProperty("poll.interval.ms", Long.toString(config.pollInterval().toMillis()));
        props.setProperty("max.batch.size", Integer.toString(config.maxBatchSize()));
        props.setProperty("max.queue.size", Integer.toString(config.maxBatchSize() * 4));
        props.setProperty("heartbeat.interval.ms", Long.toString(config.heartbeatInterval().toMillis()));
        props.setProperty("heartbeat.action.query", "UPDATE public.relay_heartbeat SET beat_at = now() WHERE id = 1");

        props.setProperty("offset.storage", "io.debezium.storage.jdbc.offset.JdbcOffsetBackingStore");
        props.setProperty("offset.storage.jdbc.connection.url", jdbcUrl);
        props.setProperty("offset.storage.jdbc.connection.user", user);
        props.setProperty("offset.storage.jdbc.connection.password", password);
        props.setProperty("offset.storage.jdbc.table.name", "relay_offsets");
        props.setProperty("offset.flush.interval.ms", "0");

        props.setProperty("transforms", "outbox");
        props.setProperty("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter");
        props.setProperty("transforms.outbox.predicate", "isOutbox");
        props.setProperty("transforms.outbox.route.by.field", "aggregatetype");
        props.setProperty("transforms.outbox.route.topic.replacement", config.topics().log());
        props.setProperty("transforms.outbox.table.field.event.id", "id");
        props.setProperty("transforms.outbox.table.field.event.key", "aggregateid");
        props.setProperty("transforms.outbox.table.field.event.payload", "payload");
        props.setProperty("transforms.outbox.table.fields.additional.placement",
                "type:header:type,sequence:header:sequence,schema_version:header:schema_version,"
                        + "traceparent:header:traceparent,tracestate:header:tracestate,created_at:header:created_at");
        props.setProperty("predicates", "isOutbox");
        props.setProperty("predicates.isOutbox.type",
                "org.apache.kafka.connect.transforms.predicates.TopicNameMatches");
        props.setProperty("predicates.isOutbox.pattern", "accounts\\.public\\.outbox");
        return props;
    }

    private String database() {
        String path = URI.create(jdbcUrl.substring("jdbc:".length())).getPath();
        return path.startsWith("/") ? path.substring(1) : path;
    }

    private long readSlotLag() {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn) FROM pg_replication_slots "
                        + "WHERE slot_name = ?")) {
            s.setString(1, slotName());
            try (ResultSet rows = s.executeQuery()) {
                return rows.next() ? rows.getLong(1) : -1;
            }
        } catch (SQLException e) {
            return -1;
        }
    }
}
