package dev.usersync.auditor;

import dev.usersync.adapter.consumer.TopicScan;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Compares a rebuilt cache with the live one, row by row and field by field: the apply step's record of every
 * account (last sequence and state), the revoked sessions, and the product's own rows that the log decides
 * ({@code ProductProjection#mirrorQuery}). Both sides are read ordered by key and merged, so the size of the caches
 * does not matter. Exits 1 on any difference.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Compare a rebuilt product cache with the live one: rows missing, extra, or different, field "
                + "by field.")
public class DiffCommand implements Callable<Integer> {

    @Option(names = "--product", required = true, converter = Product.Converter.class,
            completionCandidates = Product.Ids.class, paramLabel = "<product>",
            description = "The product whose caches to compare: ${COMPLETION-CANDIDATES}.")
    Product product;

    @Option(names = "--live", required = true, paramLabel = "<jdbc url>",
            description = "The live product database (user and password from the URL or $PGUSER and $PGPASSWORD).")
    String live;

    @Option(names = "--rebuilt", required = true, paramLabel = "<jdbc url>",
            description = "The database `rebuild` wrote (user and password as for --live).")
    String rebuilt;

    /** A set of rows compared between the two databases; the query's first column is the key. */
    private record Table(String name, String query) {
    }

    @Override
    public Integer call() throws SQLException {
        List<Table> tables = List.of(
                new Table("sync_accounts", "SELECT account_id, sequence, state FROM sync_accounts"),
                new Table("sync_revoked_sessions", "SELECT session_id, account_id FROM sync_revoked_sessions"),
                new Table(product.id(), product.projection().mirrorQuery()));
        Database liveDatabase = new Database(live);
        Database rebuiltDatabase = new Database(rebuilt);
        List<String> findings = new ArrayList<>();
        try (Connection liveConnection = liveDatabase.connect();
                Connection rebuiltConnection = rebuiltDatabase.connect()) {
            // Read-only: the queries come from the products' projections, and the live cache is production's.
            liveConnection.setReadOnly(true);
            rebuiltConnection.setReadOnly(true);
            liveConnection.setAutoCommit(false);
            rebuiltConnection.setAutoCommit(false);
            for (Table table : tables) {
                long rows = compare(table, liveConnection, rebuiltConnection, findings);
                System.err.printf("  %s: %,d rows compared%n", table.name(), rows);
            }
        }
        findings.forEach(System.out::println);
        System.out.printf("%s: the live cache at %s %s the rebuilt one at %s (%d difference%s)%n", product.id(),
                liveDatabase.name(), findings.isEmpty() ? "equals" : "differs from", rebuiltDatabase.name(),
                findings.size(), findings.size() == 1 ? "" : "s");
        return findings.isEmpty() ? 0 : 1;
    }

    /** Merges both sides in key order; returns how many keys were seen. */
    private static long compare(Table table, Connection live, Connection rebuilt, List<String> findings)
            throws SQLException {
        String ordered = "SELECT * FROM (" + table.query() + ") AS compared ORDER BY 1";
        try (Rows left = new Rows(live, ordered); Rows right = new Rows(rebuilt, ordered)) {
            long keys = 0;
            long lastReport = System.nanoTime();
            while (left.current != null || right.current != null) {
                if (++keys % 10_000 == 0 && System.nanoTime() - lastReport > TopicScan.REPORT_EVERY.toNanos()) {
                    lastReport = System.nanoTime();
                    System.err.printf("  %s: %,d rows compared so far, %,d differences%n", table.name(), keys,
                            findings.size());
                }
                int order = left.current == null ? 1
                        : right.current == null ? -1 : left.current.get(0).compareTo(right.current.get(0));
                if (order < 0) {
                    findings.add("EXTRA " + table.name() + " " + left.current.get(0)
                            + ": in the live cache, not in the rebuilt one");
                    left.next();
                } else if (order > 0) {
                    findings.add("MISSING " + table.name() + " " + right.current.get(0)
                            + ": in the rebuilt cache, not in the live one");
                    right.next();
                } else {
                    for (int column = 1; column < left.columns.size(); column++) {
                        if (!Objects.equals(left.current.get(column), right.current.get(column))) {
                            findings.add("DIFFERENT " + table.name() + " " + left.current.get(0) + " "
                                    + left.columns.get(column) + ": live " + quoted(left.current.get(column))
                                    + ", rebuilt " + quoted(right.current.get(column)));
                        }
                    }
                    left.next();
                    right.next();
                }
            }
            return keys;
        }
    }

    private static String quoted(String value) {
        return value == null ? "null" : '"' + value + '"';
    }

    /** One side's rows, streamed in key order, each as its columns' text. */
    private static final class Rows implements AutoCloseable {
        private final PreparedStatement statement;
        private final ResultSet results;
        final List<String> columns = new ArrayList<>();
        List<String> current;

        Rows(Connection connection, String query) throws SQLException {
            statement = connection.prepareStatement(query);
            statement.setFetchSize(10_000);
            results = statement.executeQuery();
            ResultSetMetaData meta = results.getMetaData();
            for (int column = 1; column <= meta.getColumnCount(); column++) {
                columns.add(meta.getColumnName(column));
            }
            next();
        }

        void next() throws SQLException {
            if (!results.next()) {
                current = null;
                return;
            }
            current = new ArrayList<>(columns.size());
            for (int column = 1; column <= columns.size(); column++) {
                current.add(results.getString(column));
            }
        }

        @Override
        public void close() throws SQLException {
            results.close();
            statement.close();
        }
    }
}
