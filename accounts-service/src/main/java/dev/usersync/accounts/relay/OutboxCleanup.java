package dev.usersync.accounts.relay;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
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

    private final EntityManager entityManager;
    private final RelayConfig config;

    public OutboxCleanup(EntityManager entityManager, RelayConfig config) {
        this.entityManager = entityManager;
        this.config = config;
    }

    @Scheduled(every = "${accounts.relay.cleanup-every:5m}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void clean() {
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

    private int deleteBatch() {
        return QuarkusTransaction.requiringNew().call(() -> entityManager.createNativeQuery("""
                DELETE FROM outbox WHERE id IN (
                    SELECT id FROM outbox WHERE created_at < now() - make_interval(secs => :retention) LIMIT :batch)
                """)
                .setParameter("retention", (double) config.outboxRetention().toSeconds())
                .setParameter("batch", BATCH)
                .executeUpdate());
    }
}
