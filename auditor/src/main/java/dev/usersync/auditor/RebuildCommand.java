package dev.usersync.auditor;

import dev.usersync.adapter.sync.AccountSync;
import dev.usersync.adapter.sync.LogRecord;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.EventKeys;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.flywaydb.core.Flyway;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Rebuilds a product's cache from the whole log into an empty database, through the adapter's own migrations, its
 * apply step ({@link AccountSync}) and its product projection: the code the live adapter runs, not a second reading
 * of the events. Records the live adapter would dead-letter are skipped here the same way and listed.
 */
@Command(name = "rebuild", mixinStandardHelpOptions = true,
        description = "Rebuild a product's cache from the whole account log into an empty database, with the "
                + "adapter's own apply code.")
public class RebuildCommand implements Callable<Integer> {

    /** Events applied per transaction; each event still runs under its own savepoint and account lock. */
    private static final int EVENTS_PER_TRANSACTION = 500;

    @Mixin
    AuditCommand.Source source;

    @Option(names = "--product", required = true, converter = Product.Converter.class,
            completionCandidates = Product.Ids.class, paramLabel = "<product>",
            description = "The product whose cache to rebuild: ${COMPLETION-CANDIDATES}.")
    Product product;

    @Option(names = "--into", required = true, paramLabel = "<jdbc url>",
            description = "An empty PostgreSQL database, e.g. jdbc:postgresql://localhost:5432/track_rebuilt "
                    + "(user and password from the URL or $PGUSER and $PGPASSWORD).")
    String into;

    /** What the rebuild did. */
    private static final class Tally {
        long applied;
        long alreadyApplied;
        long rejected;
        long failed;
    }

    @Override
    public Integer call() throws SQLException {
        Database database = new Database(into);
        try (Connection connection = database.connect()) {
            if (!empty(connection)) {
                System.err.println("rebuild: " + database.name() + " is not empty; rebuild only into an empty "
                        + "database, so nothing there mixes with what the log gives");
                return CommandLineConfig.COULD_NOT_RUN;
            }
            Flyway.configure().dataSource(database.dataSource())
                    .locations("classpath:db/adapter", product.migrations())
                    .outOfOrder(true).load().migrate();

            AccountSync sync = new AccountSync(database.dataSource(), product.projection());
            EventKeys keys = source.keys();
            Tally tally = new Tally();
            long started = System.nanoTime();
            connection.setAutoCommit(false);
            System.err.println("rebuilding the " + product.id() + " cache into " + database.name() + " from "
                    + source.topic + " at " + source.bootstrapServers);
            long[] inTransaction = {0};
            LogScan.scan(source.kafka(), source.topic, null, System.err, record -> {
                apply(sync, keys, connection, record, tally);
                if (++inTransaction[0] == EVENTS_PER_TRANSACTION) {
                    commit(connection);
                    inTransaction[0] = 0;
                }
            });
            connection.commit();
            double seconds = (System.nanoTime() - started) / 1e9;
            long accounts = count(connection, "SELECT count(*) FROM sync_accounts");
            System.out.printf("rebuilt the %s cache of %,d accounts: %,d events applied, %,d already applied, "
                    + "%,d rejected, %,d failed, in %.1f s (%,.0f events/s)%n", product.id(), accounts,
                    tally.applied, tally.alreadyApplied, tally.rejected, tally.failed, seconds,
                    (tally.applied + tally.alreadyApplied) / seconds);
            return tally.failed == 0 ? 0 : 1;
        }
    }

    /**
     * Applies one record under a savepoint: an event whose apply fails leaves no trace and the rebuild goes on, as the
     * live adapter dead-letters it and goes on.
     */
    private static void apply(AccountSync sync, EventKeys keys, Connection connection,
            ConsumerRecord<byte[], byte[]> record, Tally tally) {
        LogRecord read = LogRecord.read(record.key(), record.value(), keys);
        if (read.rejected()) {
            tally.rejected++;
            System.out.println("REJECTED " + where(record) + ": " + read.rejection());
            return;
        }
        AccountEvent event = read.event();
        try {
            Savepoint savepoint = connection.setSavepoint();
            try {
                if (sync.apply(connection, event) == AccountSync.Outcome.APPLIED) {
                    tally.applied++;
                } else {
                    tally.alreadyApplied++;
                }
                connection.releaseSavepoint(savepoint);
            } catch (SQLException | RuntimeException e) {
                connection.rollback(savepoint);
                tally.failed++;
                System.out.println("FAILED " + where(record) + " (account " + event.accountId() + " sequence "
                        + event.sequence() + "): " + e.getClass().getSimpleName()
                        + (e instanceof SQLException sql ? " " + sql.getSQLState() : ""));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("the database went away during the rebuild", e);
        }
    }

    private static void commit(Connection connection) {
        try {
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("the database went away during the rebuild", e);
        }
    }

    private static boolean empty(Connection connection) throws SQLException {
        return count(connection, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()")
                == 0;
    }

    private static long count(Connection connection, String query) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(query)) {
            row.next();
            return row.getLong(1);
        }
    }

    private static String where(ConsumerRecord<byte[], byte[]> record) {
        return record.topic() + "/" + record.partition() + "@" + record.offset();
    }
}
