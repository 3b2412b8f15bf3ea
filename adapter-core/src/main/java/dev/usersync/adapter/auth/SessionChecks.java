package dev.usersync.adapter.auth;

import dev.usersync.adapter.AdapterConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * What an authenticated request asks of the adapter's database, answered from memory: is this session revoked, may
 * this account use this product (as the log says now, not as the token said when it was issued). Revoked sessions of
 * the last {@code revocation-window} are loaded at start and kept current by a listener on the
 * {@code sync_revoked_sessions} channel, which the table's trigger notifies when any replica's apply step commits a
 * revocation. An account's access is read from {@code sync_accounts} once and forgotten when the
 * {@code sync_accounts_access} channel says its status or products changed. While the listener is not running (start,
 * a lost connection) every check goes to the database.
 */
@ApplicationScoped
public class SessionChecks {

    private static final Logger LOG = Logger.getLogger(SessionChecks.class);
    private static final String REVOKED = "sync_revoked_sessions";
    private static final String ACCESS = "sync_accounts_access";
    private static final Duration RETRY = Duration.ofSeconds(1);
    private static final Duration PROBE = Duration.ofSeconds(5);

    private final DataSource dataSource;
    private final Duration window;
    private final int maxKnown;
    private final String product;
    private final Map<UUID, Instant> revoked = new ConcurrentHashMap<>();
    private final Map<UUID, Boolean> access = new ConcurrentHashMap<>();
    private final AtomicLong accessChanges = new AtomicLong();
    private volatile boolean listening;
    private volatile boolean running;

    public SessionChecks(DataSource dataSource, AdapterConfig config, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.window = config.auth().revocationWindow();
        this.maxKnown = config.auth().cacheSize();
        this.product = config.product();
        Gauge.builder("adapter.revocations.in.memory", this, checks -> checks.listening ? 1 : 0)
                .description("1 while revoked sessions are answered from memory, 0 while every check queries the "
                        + "database").register(registry);
        Gauge.builder("adapter.revocations.held", revoked, Map::size)
                .description("Revoked sessions held in memory").register(registry);
    }

    void start(@Observes StartupEvent event) {
        running = true;
        Thread listener = new Thread(this::listen, "revoked-sessions-listener");
        listener.setDaemon(true);
        listener.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
    }

    /** Whether tokens of this session are refused. */
    public boolean revoked(UUID sessionId) {
        if (listening) {
            return revoked.containsKey(sessionId);
        }
        return exists("SELECT 1 FROM sync_revoked_sessions WHERE session_id = ?", sessionId);
    }

    /** Whether an account may use this product, as far as this adapter has applied its events. */
    public enum Access {
        /** This adapter has applied nothing of the account. */
        UNKNOWN,
        ALLOWED,
        /** Closed, or without this product. */
        DENIED
    }

    public Access access(UUID accountId) {
        if (listening) {
            Boolean cached = access.get(accountId);
            if (cached != null) {
                return cached ? Access.ALLOWED : Access.DENIED;
            }
        }
        long changes = accessChanges.get();
        Boolean allowed = allowed(accountId);
        if (allowed == null) {
            return Access.UNKNOWN;
        }
        // cached only if no change was announced meanwhile: the value read may predate it
        if (listening && accessChanges.get() == changes) {
            if (access.size() >= maxKnown) {
                access.clear();
            }
            access.put(accountId, allowed);
        }
        return allowed ? Access.ALLOWED : Access.DENIED;
    }

    /** Whether revocations are answered from memory now (also the gauge {@code adapter_revocations_in_memory}). */
    public boolean listening() {
        return listening;
    }

    private Boolean allowed(UUID accountId) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT state->>'status' = 'ACTIVE' AND state->'products' @> jsonb_build_array(?::text) "
                        + "FROM sync_accounts WHERE account_id = ?")) {
            select.setString(1, product);
            select.setObject(2, accountId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getBoolean(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check the account's access", e);
        }
    }

    private boolean exists(String query, UUID id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(query)) {
            select.setObject(1, id);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot check the session", e);
        }
    }

    /**
     * LISTEN first, then load: a revocation committed in between is in the load or in a notification. Every
     * {@link #PROBE} the connection must answer a query within {@link #PROBE}: a connection that silently died (a
     * half-open TCP connection, a pooler that dropped it) delivers no notification and no error, and memory would go
     * stale while it seemed current.
     */
    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                connection.setNetworkTimeout(Runnable::run, (int) PROBE.toMillis());
                PGConnection postgres = connection.unwrap(PGConnection.class);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + REVOKED);
                    statement.execute("LISTEN " + ACCESS);
                }
                accessChanges.incrementAndGet();
                access.clear();
                load(connection);
                listening = true;
                LOG.debugf("revoked sessions in memory: %d", revoked.size());
                Instant pruned = Instant.now();
                Instant probed = Instant.now();
                while (running) {
                    PGNotification[] notifications = postgres.getNotifications((int) RETRY.toMillis());
                    if (notifications != null) {
                        Instant now = Instant.now();
                        for (PGNotification notification : notifications) {
                            UUID id = UUID.fromString(notification.getParameter());
                            if (ACCESS.equals(notification.getName())) {
                                accessChanges.incrementAndGet();
                                access.remove(id);
                            } else {
                                revoked.put(id, now);
                            }
                        }
                    }
                    if (Duration.between(probed, Instant.now()).compareTo(PROBE) > 0) {
                        try (Statement probe = connection.createStatement()) {
                            probe.execute("SELECT 1");
                        }
                        probed = Instant.now();
                    }
                    if (Duration.between(pruned, Instant.now()).compareTo(Duration.ofMinutes(10)) > 0) {
                        pruned = Instant.now();
                        Instant horizon = pruned.minus(window);
                        revoked.values().removeIf(at -> at.isBefore(horizon));
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (running && listening) {
                    LOG.warnf("revoked sessions are checked in the database until the listener is back (%s)",
                            e.getClass().getSimpleName());
                }
                listening = false;
                pause();
            }
        }
        listening = false;
    }

    private void load(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT session_id, revoked_at FROM sync_revoked_sessions WHERE revoked_at > ?")) {
            select.setTimestamp(1, Timestamp.from(Instant.now().minus(window)));
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    revoked.put(rows.getObject(1, UUID.class), rows.getTimestamp(2).toInstant());
                }
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RETRY.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }
}
