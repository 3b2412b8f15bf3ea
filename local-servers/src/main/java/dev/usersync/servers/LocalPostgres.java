package dev.usersync.servers;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * PostgreSQL 17 from Maven-packaged binaries, configured for the outbox relay: {@code wal_level=logical},
 * {@code synchronous_commit} on (the embedded default is off, and logical replication then waits for the WAL writer:
 * about 190 ms on every event). Ephemeral for tests, or on a data directory that survives restarts for the mesh.
 */
public final class LocalPostgres implements AutoCloseable {

    public static final String USER = "postgres";
    public static final String PASSWORD = "postgres";

    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(120);

    private final EmbeddedPostgres.Builder builder;
    private EmbeddedPostgres postgres;

    private LocalPostgres(EmbeddedPostgres.Builder builder) {
        this.builder = builder;
        start();
    }

    /** A throwaway server on a free port (tests). */
    public static LocalPostgres ephemeral() {
        return new LocalPostgres(EmbeddedPostgres.builder());
    }

    /**
     * A server on {@code port} keeping its data in {@code dataDirectory}: the local mesh, and tests that
     * {@link #stop()} and {@link #start()} it again.
     */
    public static LocalPostgres persistent(Path dataDirectory, int port) {
        return new LocalPostgres(EmbeddedPostgres.builder().setDataDirectory(dataDirectory)
                .setCleanDataDirectory(false).setPort(port));
    }

    /** Starts the server again after {@link #stop()}, on the same port and data (persistent servers only). */
    public synchronized void start() {
        try {
            postgres = builder
                    .setServerConfig("wal_level", "logical")
                    .setServerConfig("max_replication_slots", "20")
                    .setServerConfig("max_wal_senders", "20")
                    .setServerConfig("max_connections", "300")
                    .setServerConfig("fsync", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("synchronous_commit", "on")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start", e);
        }
    }

    /**
     * Stops the server (a fast shutdown: open connections are cut), keeping its data if it is persistent, and returns
     * once its port is closed. A walsender holds the shutdown until its logical-replication client confirms the last
     * WAL, which can outlast the library's own wait.
     */
    public synchronized void stop() {
        int port = port();
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
        while (Sockets.listening(port)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL on port " + port + " did not shut down within "
                        + SHUTDOWN_WAIT);
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }


    public int port() {
        return postgres.getPort();
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port() + "/" + database;
    }

    /** Creates {@code name} unless it exists. */
    public void ensureDatabase(String name) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, PASSWORD);
                Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
                if (exists.next()) {
                    return;
                }
            }
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
