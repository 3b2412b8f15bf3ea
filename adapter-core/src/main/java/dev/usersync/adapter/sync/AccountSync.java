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
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The apply step: the one path by which a local user is created or changed, whether the event came from the log,
 * from a sync-on-miss fetch, or is replayed by an auditor's rebuild. Per account it is serialised
 * ({@link AccountLock}) and idempotent: an event whose sequence is not above the last applied changes nothing.
 */
@ApplicationScoped
public class AccountSync {

    /** What applying an event did. */
    public enum Outcome {
        APPLIED,
        ALREADY_APPLIED
    }

    private final DataSource dataSource;
    private final ProductProjection projection;

    public AccountSync(DataSource dataSource, ProductProjection projection) {
        this.dataSource = dataSource;
        this.projection = projection;
    }

    /** Applies the event in a transaction of its own. */
    public Outcome apply(AccountEvent event) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return apply(connection, event);
            }
        });
    }

    /**
     * Applies the event on {@code connection}, inside the caller's transaction (a product action that must see the
     * account's rows as the log left them, under the same lock).
     */
    public Outcome apply(Connection connection, AccountEvent event) throws SQLException {
        AccountLock.lock(connection, event.accountId());
        Applied last = lastApplied(connection, event.accountId());
        if (last != null && event.sequence() <= last.sequence()) {
            return Outcome.ALREADY_APPLIED;
        }
        projection.apply(connection, event, last == null ? null : last.state());
        if (event.data() instanceof SessionRevoked revoked) {
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO sync_revoked_sessions (session_id, account_id) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                for (UUID session : revoked.sessionIds()) {
                    insert.setObject(1, session);
                    insert.setObject(2, event.accountId());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO sync_accounts (account_id, sequence, event_id, state, applied_at)
                VALUES (?, ?, ?, ?::jsonb, now())
                ON CONFLICT (account_id) DO UPDATE SET sequence = excluded.sequence, event_id = excluded.event_id,
                    state = excluded.state, applied_at = excluded.applied_at
                WHERE sync_accounts.sequence < excluded.sequence""")) {
            upsert.setObject(1, event.accountId());
            upsert.setLong(2, event.sequence());
            upsert.setObject(3, event.eventId());
            upsert.setString(4, json(event.data().account()));
            upsert.executeUpdate();
        }
        return Outcome.APPLIED;
    }

    /** The sequence and state last applied for an account, or {@code null}. */
    private record Applied(long sequence, AccountState state) {
    }

    private static Applied lastApplied(Connection connection, UUID accountId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT sequence, state FROM sync_accounts WHERE account_id = ?")) {
            select.setObject(1, accountId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return null;
                }
                return new Applied(row.getLong(1), EventCodec.mapper().readValue(row.getString(2),
                        AccountState.class));
            }
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable stored state of account " + accountId, e);
        }
    }

    private static String json(AccountState state) {
        try {
            return EventCodec.mapper().writeValueAsString(state);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
