package dev.usersync.relay;

import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Deletes outbox rows older than the retention, in bounded batches. Safe whether or not a row was published yet:
 * the relay reads the write-ahead log, which the replication slot keeps until the relay confirms it, not the table.
 * The publication does not publish deletes, so this produces no change events.
 */
@ApplicationScoped
public class OutboxCleanup {

    private static final Logger LOG = Logger.getLogger(OutboxCleanup.class);
    private static final int BATCH = 5_000;

    private final DataSource dataSource;
    private final RelayConfig config;

    public OutboxCleanup(DataSource dataSource, RelayConfig config) {
        this.dataSource = dataSource;
        this.config = config;
    }

    @Scheduled(every = "${accounts.relay.cleanup-every:5m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void clean() throws SQLException {
        int deleted;
        int total = 0;
        do {
            deleted = deleteBatch();
            total += deleted;
        } while (deleted == BATCH);
        if (total > 0) {
            LOG.infof("deleted %d outbox rows older than %s", total, config.outboxRetention());
        }
    }

    /** One batch in a transaction of its own (the connection's auto-commit; no transaction is active here). */
    private int deleteBatch() throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("""
                DELETE FROM outbox WHERE id IN (
                    SELECT id FROM outbox WHERE created_at < now() - make_interval(secs => ?) LIMIT ?)""")) {
            delete.setDouble(1, config.outboxRetention().toSeconds());
            delete.setInt(2, BATCH);
            return delete.executeUpdate();
        }
    }
}
