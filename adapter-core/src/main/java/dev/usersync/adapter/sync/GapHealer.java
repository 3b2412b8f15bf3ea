package dev.usersync.adapter.sync;

import dev.usersync.adapter.AdapterConfig;
import dev.usersync.web.Problem;
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
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Heals the gaps the apply step records ({@code sync_gaps}): for each account whose sequence jumped, fetches its
 * snapshot from the accounts service ({@link SyncOnMiss}) and applies it, which records the sessions revoked in the
 * missing events and clears the gap. Runs on its own thread, woken by the consumer when it finds a gap and every
 * {@code adapter.consumer.gap-retry-interval}: the consumer never waits on the accounts service, and a gap found while
 * it is down is healed when it answers again.
 */
@ApplicationScoped
public class GapHealer {

    private static final Logger LOG = Logger.getLogger(GapHealer.class);

    private final DataSource dataSource;
    private final SyncOnMiss syncOnMiss;
    private final AdapterConfig config;
    private final Semaphore wake = new Semaphore(0);
    private volatile boolean running;
    private volatile long open;

    public GapHealer(DataSource dataSource, SyncOnMiss syncOnMiss, AdapterConfig config, MeterRegistry registry) {
        this.dataSource = dataSource;
        this.syncOnMiss = syncOnMiss;
        this.config = config;
        Gauge.builder("adapter.sequence.gaps.open", this, healer -> healer.open)
                .description("Accounts with a gap in their sequence not yet healed").register(registry);
    }

    void start(@Observes StartupEvent event) {
        if (!config.consumer().enabled()) {
            return;
        }
        running = true;
        Thread thread = new Thread(this::run, "gap-healer");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        wake.release();
    }

    /** Heals open gaps soon. */
    public void wake() {
        wake.release();
    }

    /**
     * Heals the open gaps that are due, on the caller's thread. A gap whose fetch fails is tried again after a back-off
     * that doubles per attempt (up to ten minutes); when the accounts service does not answer at all, the round stops
     * there instead of waiting on it once per gap.
     */
    public void healDue() {
        for (UUID account : due()) {
            try {
                syncOnMiss.fetch(account);
            } catch (Problem e) {
                failed(account, e.getMessage());
                if (e.status() == 503) {
                    break;
                }
            } catch (RuntimeException e) {
                failed(account, e.getMessage());
            }
        }
        open = count();
    }

    private void run() {
        while (running) {
            try {
                wake.tryAcquire(config.consumer().gapRetryInterval().toMillis(), TimeUnit.MILLISECONDS);
                wake.drainPermits();
                if (running) {
                    healDue();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("gap healing failed (%s); retrying", e.getMessage());
            }
        }
    }

    private List<UUID> due() {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection.prepareStatement(
                "SELECT account_id FROM sync_gaps WHERE next_attempt <= now() ORDER BY next_attempt LIMIT 1000");
                ResultSet rows = select.executeQuery()) {
            List<UUID> accounts = new ArrayList<>();
            while (rows.next()) {
                accounts.add(rows.getObject(1, UUID.class));
            }
            return accounts;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the open gaps", e);
        }
    }

    private long count() {
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection
                .prepareStatement("SELECT count(*) FROM sync_gaps"); ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the open gaps", e);
        }
    }

    private void failed(UUID account, String error) {
        LOG.warnf("cannot heal the gap of account %s yet: %s", account, error);
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                UPDATE sync_gaps SET attempts = attempts + 1, last_error = ?,
                    next_attempt = now() + least(interval '1 second' * power(2, attempts), interval '10 minutes')
                WHERE account_id = ?""")) {
            update.setString(1, error);
            update.setObject(2, account);
            update.executeUpdate();
        } catch (SQLException e) {
            LOG.warnf("cannot record the failed healing of account %s: %s", account, e.getMessage());
        }
    }
}
