package dev.usersync.adapter.probe;

import dev.usersync.adapter.sync.ProductProjection;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.AccountState;
import dev.usersync.events.AccountStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * The smallest product there is, for adapter-core's own tests: a person who can use "probe" has a row with their
 * email and name, deactivated when they lose access, erased when their account closes. Every call counts in
 * {@code applies}, so a test sees an event that reached the projection twice.
 */
@ApplicationScoped
public class ProbeProjection implements ProductProjection {

    public static final String PRODUCT = "probe";

    @Override
    public String product() {
        return PRODUCT;
    }

    @Override
    public String mirrorQuery() {
        return "SELECT account_id, email, name, active FROM people";
    }

    @Override
    public void apply(Connection connection, AccountEvent event) throws SQLException {
        AccountState state = event.data().account();
        boolean closed = state.status() == AccountStatus.CLOSED;
        try (PreparedStatement upsert = connection.prepareStatement("""
                INSERT INTO people (account_id, email, name, active) SELECT ?, ?, ?, ? WHERE ?
                ON CONFLICT (account_id) DO UPDATE SET email = excluded.email, name = excluded.name,
                    active = excluded.active, applies = people.applies + 1""")) {
            upsert.setObject(1, event.accountId());
            upsert.setString(2, closed ? "deleted-" + event.accountId() + "@invalid" : state.email());
            upsert.setString(3, closed ? null : state.name());
            upsert.setBoolean(4, state.canUse(PRODUCT));
            upsert.setBoolean(5, state.canUse(PRODUCT) || known(connection, event));
            upsert.executeUpdate();
        }
    }

    private static boolean known(Connection connection, AccountEvent event) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM people WHERE account_id = ?")) {
            select.setObject(1, event.accountId());
            return select.executeQuery().next();
        }
    }
}
