package dev.usersync.testsupport;

import dev.usersync.servers.LocalPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * One real PostgreSQL server per test JVM, with {@code wal_level=logical} so Debezium can stream from it. Each test
 * that asks gets a fresh database on it ({@link #createDatabase()}).
 */
public final class PostgresServer {

    private static final Logger LOG = Logger.getLogger(PostgresServer.class);
    private static final String CONTAINER_IMAGE = "postgres:17";
    private static PostgresServer shared;

    private final AtomicInteger databases = new AtomicInteger();
    private final String host;
    private final int port;
    private final String username;
    private final String password;

    private PostgresServer(String host, int port, String username, String password) {
        this.host = host;
        this.port = port;
        this.username = username;
        this.password = password;
    }

    /** The server of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            shared = start(ServerMode.current());
        }
        return shared;
    }

    private static PostgresServer start(ServerMode mode) {
        QuietServers.apply();
        long started = System.nanoTime();
        PostgresServer server;
        if (mode == ServerMode.CONTAINERS) {
            PostgreSQLContainer container = new PostgreSQLContainer(CONTAINER_IMAGE)
                    .withCommand("postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=20",
                            "-c", "max_wal_senders=20", "-c", "fsync=off");
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "postgres-container-stop"));
            server = new PostgresServer(container.getHost(), container.getMappedPort(5432), container.getUsername(),
                    container.getPassword());
        } else {
            LocalPostgres embedded = LocalPostgres.ephemeral();
            Runtime.getRuntime().addShutdownHook(new Thread(embedded::close, "postgres-embedded-stop"));
            server = new PostgresServer("localhost", embedded.port(), LocalPostgres.USER, LocalPostgres.PASSWORD);
        }
        LOG.infof("PostgreSQL (%s, wal_level=logical) started in %d ms on port %d", mode.name().toLowerCase(),
                (System.nanoTime() - started) / 1_000_000, server.port);
        return server;
    }

    /** Creates a new, empty database and returns its name. */
    public String createDatabase() {
        String name = "test_" + ProcessHandle.current().pid() + "_" + databases.incrementAndGet();
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), username, password);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return name;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }
}
