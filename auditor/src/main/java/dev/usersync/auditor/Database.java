package dev.usersync.auditor;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Properties;
import org.postgresql.PGProperty;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A PostgreSQL database named by a JDBC URL. The user and password come from the URL or, as for psql, from
 * {@code PGUSER} and {@code PGPASSWORD}: never from the command line, where other users of the machine could read them.
 */
final class Database {

    private final PGSimpleDataSource dataSource = new PGSimpleDataSource();

    Database(String url) {
        dataSource.setUrl(url);
        Properties given = org.postgresql.Driver.parseURL(url, new Properties());
        if (given == null) {
            throw new IllegalArgumentException("'" + url + "' is not a PostgreSQL JDBC URL "
                    + "(jdbc:postgresql://host:port/database)");
        }
        if (given.getProperty(PGProperty.USER.getName()) == null && System.getenv("PGUSER") != null) {
            dataSource.setUser(System.getenv("PGUSER"));
        }
        if (given.getProperty(PGProperty.PASSWORD.getName()) == null && System.getenv("PGPASSWORD") != null) {
            dataSource.setPassword(System.getenv("PGPASSWORD"));
        }
        dataSource.setApplicationName("usersync-auditor");
    }

    PGSimpleDataSource dataSource() {
        return dataSource;
    }

    Connection connect() throws SQLException {
        return dataSource.getConnection();
    }

    /** The database as a person would name it: host, port and name, without credentials. */
    String name() {
        return dataSource.getServerNames()[0] + ":" + dataSource.getPortNumbers()[0] + "/"
                + dataSource.getDatabaseName();
    }
}
