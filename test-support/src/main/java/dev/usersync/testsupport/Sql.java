package dev.usersync.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import javax.sql.DataSource;

/** One-line queries for assertions on a service's own tables. */
public final class Sql {

    private Sql() {
    }

    /** The first column of the first row as a number (a count, an id). */
    public static long number(DataSource dataSource, String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = prepare(c, sql, parameters);
                ResultSet row = s.executeQuery()) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** The first column of the first row as text, or {@code null} when there is no row. */
    public static String text(DataSource dataSource, String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = prepare(c, sql, parameters);
                ResultSet row = s.executeQuery()) {
            return row.next() ? row.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Runs an insert or update; with {@code RETURNING id}, use {@link #number} instead. */
    public static void execute(DataSource dataSource, String sql, Object... parameters) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = prepare(c, sql, parameters)) {
            s.execute();
        } catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... parameters) throws SQLException {
        PreparedStatement statement = c.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }
}
