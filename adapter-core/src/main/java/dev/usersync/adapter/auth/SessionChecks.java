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
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * What an authenticated request asks of the adapter's database, answered from memory: is this session revoked, does
 * this adapter know this account. Revoked sessions of the last {@code revocation-window} are loaded at start and kept
 * current by a listener on the {@code sync_revoked_sessions} channel, which the table's trigger notifies when any
 * replica's apply step commits a revocation. While that listener is not running (start, a lost connection) every
 * check goes to the database, as before. Known accounts are only ever added (an applied account stays applied).
 */
@ApplicationScoped
public class SessionChecks {

    private static final Logger LOG = Logger.getLogger(SessionChecks.class);
    private static final String CHANNEL = "sync_revoked_sessions";
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final DataSource dataSource;
    private final Duration window;
    private final int maxKnown;
    private final Map<UUID, Instant> revoked = new ConcurrentHashMap<>();
    private final Set<UUID> known = ConcurrentHashMap.newKeySet();
    private volatile boolean listening;
    private volatile boolean running;

    public SessionChecks(DataSource dataSource, AdapterConfig config, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.window = config.auth().revocationWindow();
        this.maxKnown = config.auth().cacheSize();
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

    /** Whether this adapter has applied anything of this account. */
    public boolean known(UUID accountId) {
        if (known.contains(accountId)) {
            return true;
        }
        boolean found = exists("SELECT 1 FROM sync_accounts WHERE account_id = ?", accountId);
        if (found) {
            if (known.size() >= maxKnown) {
                known.clear();
            }
            known.add(accountId);
        }
        return found;
    }

    /** Whether revocations are answered from memory now (also the gauge {@code adapter_revocations_in_memory}). */
    public boolean listening() {
        return listening;
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

    /** LISTEN first, then load: a revocation committed in between is in the load or in a notification. */
    private void listen() {
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                PGConnection postgres = connection.unwrap(PGConnection.class);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                load(connection);
                listening = true;
                LOG.debugf("revoked sessions in memory: %d", revoked.size());
                Instant pruned = Instant.now();
                while (running) {
                    PGNotification[] notifications = postgres.getNotifications((int) RETRY.toMillis());
                    if (notifications != null) {
                        Instant now = Instant.now();
                        for (PGNotification notification : notifications) {
                            revoked.put(UUID.fromString(notification.getParameter()), now);
                        }
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
