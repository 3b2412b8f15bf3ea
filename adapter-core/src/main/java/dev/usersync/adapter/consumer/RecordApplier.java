package dev.usersync.adapter.consumer;

import dev.usersync.adapter.AdapterConfig;
import dev.usersync.adapter.auth.EventKeySet;
import dev.usersync.adapter.sync.AccountSync;
import dev.usersync.adapter.sync.GapHealer;
import dev.usersync.adapter.sync.LogRecord;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.EventKeys;
import dev.usersync.events.SessionRevoked;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

/**
 * Takes one record of the account log through the apply step: read and check it ({@link LogRecord}), record the
 * revocations of an authentic record that cannot be applied, apply the rest with a few attempts. The live consumer
 * dead-letters what this rejects; an operator's replay of the dead-letter topic reports it.
 */
@ApplicationScoped
public class RecordApplier {

    private static final Logger LOG = Logger.getLogger(RecordApplier.class);

    /** Most accounts applied in one transaction: each holds an advisory lock, and the server's lock table is finite. */
    static final int MAX_ACCOUNTS_PER_TRANSACTION = 128;

    /** What became of a record. */
    public enum Kind {
        APPLIED,
        /** Applied; events before it are missing here, and the gap healer fetches what they said. */
        APPLIED_AFTER_GAP,
        ALREADY_APPLIED,
        /** Not applied and never will be as it is: unreadable, forged, schema-invalid, breaking the chain. */
        REJECTED,
        /** Applying failed every attempt (a product rule or the database refused it). */
        FAILED
    }

    /** The outcome, the reason when not applied, and the event when it was read. */
    public record Result(Kind kind, String reason, AccountEvent event) {
        public boolean applied() {
            return kind == Kind.APPLIED || kind == Kind.APPLIED_AFTER_GAP;
        }
    }

    /** The database or the key set is unavailable: nothing is decided about the record; read it again later. */
    public static final class Unavailable extends RuntimeException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final AdapterConfig config;
    private final AccountSync sync;
    private final EventKeySet keys;
    private final GapHealer healer;
    private final Counter applied;
    private final Counter skipped;
    private final Counter gaps;
    private final Timer applyTime;

    public RecordApplier(AdapterConfig config, AccountSync sync, EventKeySet keys, GapHealer healer,
            MeterRegistry registry) {
        this.config = config;
        this.sync = sync;
        this.keys = keys;
        this.healer = healer;
        this.applied = Counter.builder("adapter.events.applied").register(registry);
        this.skipped = Counter.builder("adapter.events.already.applied")
                .description("Redeliveries and older events that changed nothing").register(registry);
        this.gaps = Counter.builder("adapter.sequence.gaps")
                .description("Events applied above the next sequence of their account: earlier events missing here")
                .register(registry);
        this.applyTime = Timer.builder("adapter.apply").description("Time to apply one event")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    /**
     * Applies one record of the log; throws {@link Unavailable} when nothing can be decided now. {@code asSnapshot}
     * for a record of the compacted state topic at bootstrap: the account's latest event, above the next sequence by
     * design (no gap to heal; the bootstrap reads the log's recent revocations after it).
     */
    public Result apply(byte[] key, byte[] value, boolean asSnapshot) {
        LogRecord read = read(key, value);
        return read.rejected() ? new Result(Kind.REJECTED, read.rejection(), null) : applyOne(read.event(), asSnapshot);
    }

    /**
     * Applies the records of a poll of the log (several accounts, each account's records in log order) in as few
     * transactions as it can: records that are not authentic are rejected first, the sessions the authentic ones
     * revoke are recorded next, and the rest are applied in one transaction ({@link AccountSync#applyAll}) of at most
     * {@link #MAX_ACCOUNTS_PER_TRANSACTION} accounts. If that fails, or meets another transaction (a deadlock), the
     * accounts are split in two halves and each is tried again, down to a single account, whose records then take the
     * one-by-one path ({@link #apply}): a bad event is isolated and rejected or failed alone, and every other event is
     * applied. Throws {@link Unavailable} when nothing can be decided now. The results are in the order of
     * {@code records}.
     */
    public List<Result> applyAll(List<ConsumerRecord<byte[], byte[]>> records) {
        Result[] results = new Result[records.size()];
        AccountEvent[] events = new AccountEvent[records.size()];
        Map<UUID, List<Integer>> byAccount = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            LogRecord read = read(records.get(i).key(), records.get(i).value());
            if (read.rejected()) {
                results[i] = new Result(Kind.REJECTED, read.rejection(), null);
            } else {
                events[i] = read.event();
                byAccount.computeIfAbsent(read.accountId(), a -> new ArrayList<>()).add(i);
            }
        }
        revokeFirst(events);
        applyAll(new ArrayList<>(byAccount.values()), events, results);
        return Arrays.asList(results);
    }

    /**
     * Records the sessions the authentic revocations of a poll name, in a short transaction before the poll is applied:
     * a revocation is a monotonic fact (the apply step records it whatever the sequence says), so it need not wait for
     * the rest of its share, nor for the splitting of a share that fails.
     */
    private void revokeFirst(AccountEvent[] events) {
        Map<UUID, List<UUID>> revoked = new LinkedHashMap<>();
        for (AccountEvent event : events) {
            if (event != null && event.data() instanceof SessionRevoked revocation) {
                revoked.computeIfAbsent(event.accountId(), a -> new ArrayList<>()).addAll(revocation.sessionIds());
            }
        }
        try {
            sync.revokeAll(revoked);
        } catch (RuntimeException e) {
            throw Failures.transientFailure(e) ? databaseUnavailable(e) : e;
        }
    }

    private void applyAll(List<List<Integer>> accounts, AccountEvent[] events, Result[] results) {
        if (accounts.isEmpty()) {
            return;
        }
        if (accounts.size() == 1) {
            accounts.get(0).forEach(i -> results[i] = applyOne(events[i], false));
            return;
        }
        if (accounts.size() > MAX_ACCOUNTS_PER_TRANSACTION) {
            split(accounts, events, results);
            return;
        }
        List<Integer> order = accounts.stream().flatMap(List::stream).toList();
        long start = System.nanoTime();
        List<AccountSync.Outcome> outcomes;
        try {
            outcomes = sync.applyAll(order.stream().map(i -> events[i]).toList());
        } catch (RuntimeException e) {
            if (Failures.transientFailure(e) && !Failures.contention(e)) {
                throw databaseUnavailable(e);
            }
            split(accounts, events, results);
            return;
        }
        Duration each = Duration.ofNanos((System.nanoTime() - start) / order.size());
        for (int n = 0; n < order.size(); n++) {
            applyTime.record(each);
            results[order.get(n)] = counted(outcomes.get(n), events[order.get(n)]);
        }
    }

    private void split(List<List<Integer>> accounts, AccountEvent[] events, Result[] results) {
        int half = accounts.size() / 2;
        applyAll(accounts.subList(0, half), events, results);
        applyAll(accounts.subList(half, accounts.size()), events, results);
    }

    /**
     * Reads and checks a record; an authentic record that cannot be applied still has its revocations recorded.
     */
    private LogRecord read(byte[] key, byte[] value) {
        try {
            LogRecord read = LogRecord.read(key, value, keys);
            if (read.rejected() && !read.revokedSessions().isEmpty()) {
                sync.revoke(read.accountId(), read.revokedSessions());
            }
            return read;
        } catch (EventKeys.Unavailable e) {
            throw new Unavailable(e.getMessage(), e);
        } catch (RuntimeException e) {
            throw Failures.transientFailure(e) ? databaseUnavailable(e) : e;
        }
    }

    /** Applies one event in a transaction of its own, with a few attempts. */
    private Result applyOne(AccountEvent event, boolean asSnapshot) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= config.consumer().maxAttempts(); attempt++) {
            long start = System.nanoTime();
            try {
                AccountSync.Outcome outcome = asSnapshot ? sync.applySnapshot(event, List.of()) : sync.apply(event);
                applyTime.record(Duration.ofNanos(System.nanoTime() - start));
                return counted(outcome, event);
            } catch (AccountSync.Rejected e) {
                revokeAlone(event);
                return new Result(Kind.REJECTED, e.getMessage(), event);
            } catch (RuntimeException e) {
                if (Failures.transientFailure(e)) {
                    throw databaseUnavailable(e);
                }
                last = e;
                LOG.warnf("applying event %s (account %s, sequence %d) failed, attempt %d: %s", event.eventId(),
                        event.accountId(), event.sequence(), attempt, e.getClass().getSimpleName());
                pause();
            }
        }
        revokeAlone(event);
        return new Result(Kind.FAILED, "apply failed " + config.consumer().maxAttempts() + " times: " + last, event);
    }

    private Result counted(AccountSync.Outcome outcome, AccountEvent event) {
        switch (outcome) {
            case ALREADY_APPLIED -> skipped.increment();
            case APPLIED -> applied.increment();
            case APPLIED_AFTER_GAP -> {
                applied.increment();
                gaps.increment();
                healer.wake();
            }
        }
        return new Result(Kind.valueOf(outcome.name()), null, event);
    }

    /** A revocation the apply step cannot take whole still ends its sessions: it must not wait for an operator. */
    private void revokeAlone(AccountEvent event) {
        if (event.data() instanceof SessionRevoked revocation) {
            sync.revoke(event.accountId(), revocation.sessionIds());
        }
    }

    private static Unavailable databaseUnavailable(RuntimeException failure) {
        return new Unavailable("the database is unavailable; the record will be read again", failure);
    }

    private void pause() {
        try {
            Thread.sleep(config.consumer().retryBackoff().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
