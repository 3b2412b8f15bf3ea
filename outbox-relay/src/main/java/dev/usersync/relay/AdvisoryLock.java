package dev.usersync.relay;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * A PostgreSQL session-level advisory lock on a dedicated connection (never a pooled one, whose session outlives
 * its borrower). Whoever holds it leads; if the holder dies, its connection closes and the lock is free.
 */
final class AdvisoryLock implements AutoCloseable {

    private final String url;
    private final Properties credentials;
    private final long key;
    private Connection connection;

    AdvisoryLock(String url, String user, String password, long key) {
        this.url = url;
        this.credentials = new Properties();
        credentials.setProperty("user", user);
        credentials.setProperty("password", password);
        credentials.setProperty("socketTimeout", "10");
        credentials.setProperty("ApplicationName", "accounts-relay-leader");
        this.key = key;
    }

    /** Takes the lock if it is free; true if this instance holds it afterwards. */
    boolean tryAcquire() {
        try {
            if (connection == null || connection.isClosed()) {
                connection = DriverManager.getConnection(url, credentials);
            }
            try (Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("SELECT pg_try_advisory_lock(" + key + ")")) {
                result.next();
                return result.getBoolean(1);
            }
        } catch (SQLException e) {
            close();
            return false;
        }
    }

    /** Whether the connection that holds the lock is still alive (if not, another instance may lead already). */
    boolean stillHeld() {
        try {
            return connection != null && connection.isValid(5);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing releases the lock; a broken connection has released it already
            }
            connection = null;
        }
    }
}
