package dev.usersync.adapter.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.AccountState;
import dev.usersync.events.EventCodec;
import dev.usersync.events.SessionRevoked;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The apply step: the one path by which a local user is created or changed, whether the event came from the log,
 * from the state topic at bootstrap, from a sync-on-miss or gap-healing fetch, or is replayed by an auditor's rebuild
 * or an operator. Per account it is serialised ({@link AccountLock}) and idempotent: an event whose sequence is not
 * above the last applied changes nothing, with one exception: a revoked session is a monotonic fact, recorded
 * whatever the sequence says, so no path that moves an account past an unapplied revocation can lose it.
 *
 * <p>Events reach this step authentic ({@link LogRecord}); here they must also extend the account's chain: the next
 * event must link to the hash of the last one applied, else it is {@link Rejected}. An event from the log above the
 * next sequence is applied (it carries the full state) and the hole is recorded in {@code sync_gaps}, for the gap
 * healer to fetch what the missing events alone said (their revocations) from the accounts service.
 */
@ApplicationScoped
public class AccountSync {

    /** What applying an event did. */
    public enum Outcome {
        APPLIED,
        /** Applied, with events between the last applied and this one missing: recorded in {@code sync_gaps}. */
        APPLIED_AFTER_GAP,
        ALREADY_APPLIED
    }

    /** An authentic event that does not extend the account's chain here: it is dead-lettered, never applied. */
    public static final class Rejected extends RuntimeException {
        public Rejected(String message) {
            super(message, null, false, false);
        }
    }

    private final DataSource dataSource;
    private final ProductProjection projection;

    public AccountSync(DataSource dataSource, ProductProjection projection) {
        this.dataSource = dataSource;
        this.projection = projection;
    }

    /** Applies an event of the log in a transaction of its own. */
    public Outcome apply(AccountEvent event) {
        return inTransaction(connection -> apply(connection, event));
    }

    /**
     * Applies events of the log of several accounts in one transaction, each as {@link #apply(AccountEvent)} would, in
     * the order given (each account's events in log order). Every account's lock is taken first, in key order, so two
     * batches, or a batch and any single writer, never wait for each other in a cycle. Any failure rolls the whole
     * batch back; the caller splits it to find the event at fault.
     */
    public List<Outcome> applyAll(List<AccountEvent> events) {
        return inTransaction(connection -> {
            AccountLock.lockAll(connection, events.stream().map(AccountEvent::accountId).toList());
            List<Outcome> outcomes = new ArrayList<>(events.size());
            for (AccountEvent event : events) {
                outcomes.add(applyLocked(connection, event, true));
            }
            return outcomes;
        });
    }

    /**
     * Applies an event of the log on {@code connection}, inside the caller's transaction (a product action that must
     * see the account's rows as the log left them, under the same lock; an auditor's batch).
     */
    public Outcome apply(Connection connection, AccountEvent event) throws SQLException {
        AccountLock.lock(connection, event.accountId());
        return applyLocked(connection, event, true);
    }

    /**
     * Applies an account's state as a snapshot: the head of its chain fetched from the accounts service, or its
     * latest event from the state topic, with the sessions revoked recently enough to matter (recorded first, in a
     * transaction of their own, so a head refused here does not take them with it). Events below the head then change
     * nothing, except their revocations; any recorded gap up to the head is healed.
     */
    public Outcome applySnapshot(AccountEvent head, Collection<UUID> revokedSessions) {
        revoke(head.accountId(), revokedSessions);
        return inTransaction(connection -> {
            AccountLock.lock(connection, head.accountId());
            return applyLocked(connection, head, false);
        });
    }

    /**
     * Records revoked sessions alone: those of an authentic record that cannot be applied as an event (it goes to the
     * dead-letter topic, but its revocations must not wait for an operator).
     */
    public void revoke(UUID accountId, Collection<UUID> sessions) {
        revokeAll(Map.of(accountId, sessions));
    }

    /** Records revoked sessions of several accounts in one transaction, each account under its lock. */
    public void revokeAll(Map<UUID, ? extends Collection<UUID>> sessionsByAccount) {
        if (sessionsByAccount.values().stream().allMatch(Collection::isEmpty)) {
            return;
        }
        inTransaction(connection -> {
            AccountLock.lockAll(connection, sessionsByAccount.keySet());
            for (Map.Entry<UUID, ? extends Collection<UUID>> entry : sessionsByAccount.entrySet()) {
                insertRevocations(connection, entry.getKey(), entry.getValue());
            }
            return Outcome.ALREADY_APPLIED;
        });
    }

    /** The apply step proper; the caller's transaction holds the account's lock. */
    private Outcome applyLocked(Connection connection, AccountEvent event, boolean fromLog) throws SQLException {
        if (event.data() instanceof SessionRevoked revocation) {
            insertRevocations(connection, event.accountId(), revocation.sessionIds());
        }
        if (!fromLog) {
            healGaps(connection, event);
        }
        Applied last = lastApplied(connection, event.accountId());
        if (last != null && event.sequence() <= last.sequence()) {
            return Outcome.ALREADY_APPLIED;
        }
        boolean next = event.sequence() == (last == null ? 1 : last.sequence() + 1);
        if (next && last != null && last.hash() != null && !last.hash().equals(event.previousHash())) {
            throw new Rejected("chain: sequence " + event.sequence() + " does not link to the hash of sequence "
                    + last.sequence() + " applied here");
        }
        projection.apply(connection, event);
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO sync_accounts (account_id, sequence, event_id, hash, state, applied_at)
                VALUES (?, ?, ?, ?, ?::jsonb, now())
                ON CONFLICT (account_id) DO UPDATE SET sequence = excluded.sequence, event_id = excluded.event_id,
                    hash = excluded.hash, state = excluded.state, applied_at = excluded.applied_at
                WHERE sync_accounts.sequence < excluded.sequence""")) {
            upsert.setObject(1, event.accountId());
            upsert.setLong(2, event.sequence());
            upsert.setObject(3, event.eventId());
            upsert.setString(4, event.hash());
            upsert.setString(5, json(event.data().account()));
            upsert.executeUpdate();
        }
        if (next || !fromLog) {
            return Outcome.APPLIED;
        }
        try (PreparedStatement gap = connection.prepareStatement("""
                INSERT INTO sync_gaps (account_id, missing_from, missing_to) VALUES (?, ?, ?)
                ON CONFLICT (account_id) DO UPDATE SET missing_from = least(sync_gaps.missing_from,
                    excluded.missing_from), missing_to = greatest(sync_gaps.missing_to, excluded.missing_to)""")) {
            gap.setObject(1, event.accountId());
            gap.setLong(2, last == null ? 1 : last.sequence() + 1);
            gap.setLong(3, event.sequence() - 1);
            gap.executeUpdate();
        }
        return Outcome.APPLIED_AFTER_GAP;
    }

    /** A snapshot at {@code head} carries everything the events below it said that still matters. */
    private static void healGaps(Connection connection, AccountEvent head) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(
                "DELETE FROM sync_gaps WHERE account_id = ? AND missing_to < ?")) {
            delete.setObject(1, head.accountId());
            delete.setLong(2, head.sequence());
            delete.executeUpdate();
        }
    }

    private static void insertRevocations(Connection connection, UUID accountId, Collection<UUID> sessions)
            throws SQLException {
        if (sessions.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO sync_revoked_sessions (session_id, account_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
            for (UUID session : sessions) {
                insert.setObject(1, session);
                insert.setObject(2, accountId);
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** The sequence and hash last applied for an account, or {@code null}. */
    private record Applied(long sequence, String hash) {
    }

    private static Applied lastApplied(Connection connection, UUID accountId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT sequence, hash FROM sync_accounts WHERE account_id = ?")) {
            select.setObject(1, accountId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? new Applied(row.getLong(1), row.getString(2)) : null;
            }
        }
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return work.run(connection);
            }
        });
    }

    private static String json(AccountState state) {
        try {
            return EventCodec.mapper().writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
