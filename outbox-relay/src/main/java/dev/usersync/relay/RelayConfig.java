package dev.usersync.relay;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

/** The outbox relay: embedded Debezium publishing the outbox to the account log, under {@code accounts.relay.}. */
@ConfigMapping(prefix = "accounts.relay")
public interface RelayConfig {

    /** Whether this instance takes part in leader election and runs the engine when it leads. */
    @WithDefault("true")
    boolean enabled();

    Topics topics();

    /** The publication (created by migration V3) the engine reads. */
    @WithDefault("accounts_outbox")
    String publication();

    /** The replication slot; default {@code outbox_<database>}, unique per database on a shared server. */
    Optional<String> slot();

    /**
     * Whether a new slot is created as a failover slot, which PostgreSQL 17 copies to standbys that have
     * {@code sync_replication_slots} on, so the relay resumes on the new primary after a failover. Debezium creates
     * it so only on a PostgreSQL 17+ primary; an existing slot keeps what it was created with.
     */
    @WithDefault("true")
    boolean slotFailover();

    /** How long Debezium waits for new changes when its queue is empty; its 500 ms default costs latency. */
    @WithDefault("PT0.005S")
    Duration pollInterval();

    /** Most change events handed to the publisher at once. */
    @WithDefault("1024")
    int maxBatchSize();

    /** How often a heartbeat is written so a quiet outbox does not make PostgreSQL hold WAL. */
    @WithDefault("PT10S")
    Duration heartbeatInterval();

    /** How often a standby checks whether it can lead, and the leader checks it still holds the lock. */
    @WithDefault("PT1S")
    Duration leaderCheckInterval();

    /** First wait before restarting a failed engine; it doubles up to {@link #maxRestartBackoff()}. */
    @WithDefault("PT1S")
    Duration restartBackoff();

    @WithDefault("PT30S")
    Duration maxRestartBackoff();

    /**
     * Outbox rows older than this are deleted, published or not: the relay reads the write-ahead log, which the slot
     * keeps until the relay confirms it, not the table; the log, not the table, is the record.
     */
    @WithDefault("PT24H")
    Duration outboxRetention();

    interface Topics {
        /** The account log: every event, keyed by account id, kept forever. */
        @WithDefault(dev.usersync.events.Topics.ACCOUNT_LOG)
        String log();

        /** The compacted state topic: the latest event per account. */
        @WithDefault(dev.usersync.events.Topics.ACCOUNT_STATE)
        String state();

        /** Partitions of both topics; never change it in place (per-account order lives in one partition). */
        @WithDefault("6")
        int partitions();

        @WithDefault("1")
        short replicationFactor();

        /** {@code min.insync.replicas} of both topics; with acks=all, how many copies a publish waits for. */
        @WithDefault("1")
        int minInsyncReplicas();
    }
}
