package dev.usersync.testsupport;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/** Checks that a service's Flyway migrations ran against its real database. */
public final class Migrations {

    private Migrations() {
    }

    /** Flyway applied {@code version}, and {@code table} exists. */
    public static void assertApplied(Flyway flyway, DataSource dataSource, String version, String table)
            throws SQLException {
        boolean applied = false;
        for (MigrationInfo migration : flyway.info().applied()) {
            applied |= migration.getVersion().toString().equals(version) && migration.getState().isApplied();
        }
        assertTrue(applied, "migration " + version + " was not applied");
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            assertTrue(rows.next(), table + " is not queryable");
        }
    }
}
