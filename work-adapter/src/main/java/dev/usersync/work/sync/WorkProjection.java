package dev.usersync.work.sync;

import dev.usersync.adapter.sync.ProductProjection;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.AccountState;
import dev.usersync.events.AccountStatus;
import dev.usersync.events.SignUpContext;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Work's rules for its people. Someone who can use Work becomes a person the first time Work sees them; someone who
 * signed up from Work starts in the {@link #DEFAULT_COST_CENTER}, anyone else without a cost centre until finance
 * gives them one. Losing access to Work deactivates the person; regaining it reactivates them. Closing the account
 * erases the person's name and email and removes their approver role (nobody waits for them to approve anything), but
 * keeps their expense reports and the approvals they gave: those are the company's records.
 */
@ApplicationScoped
public class WorkProjection implements ProductProjection {

    public static final String PRODUCT = "work";
    public static final String DEFAULT_COST_CENTER = "GENERAL";

    @Override
    public String product() {
        return PRODUCT;
    }

    @Override
    public String mirrorQuery() {
        return "SELECT account_id, email, display_name, active FROM people";
    }

    @Override
    public void apply(Connection connection, AccountEvent event) throws SQLException {
        AccountState state = event.data().account();
        Integer person = personOf(connection, event.accountId());
        if (person == null) {
            if (state.canUse(PRODUCT)) {
                arrive(connection, event, state);
            }
        } else if (state.status() == AccountStatus.CLOSED) {
            close(connection, person, event.accountId());
        } else {
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE people SET email = ?, display_name = ?, active = ?, updated_at = now() WHERE id = ?""")) {
                update.setString(1, state.email());
                update.setString(2, state.name());
                update.setBoolean(3, state.canUse(PRODUCT));
                update.setInt(4, person);
                update.executeUpdate();
            }
        }
    }

    public static Integer personOf(Connection connection, UUID accountId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM people WHERE account_id = ?")) {
            select.setObject(1, accountId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getInt(1) : null;
            }
        }
    }

    private static void arrive(Connection connection, AccountEvent event, AccountState state) throws SQLException {
        SignUpContext signUp = ProductProjection.signUpOf(event);
        boolean fromWork = signUp != null && PRODUCT.equals(signUp.product());
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO people (account_id, email, display_name, cost_center, active)
                VALUES (?, ?, ?, ?, true)""")) {
            insert.setObject(1, state.id());
            insert.setString(2, state.email());
            insert.setString(3, state.name());
            insert.setString(4, fromWork ? DEFAULT_COST_CENTER : null);
            insert.executeUpdate();
        }
    }

    private static void close(Connection connection, int person, UUID accountId) throws SQLException {
        try (PreparedStatement erase = connection.prepareStatement("""
                UPDATE people SET email = ?, display_name = NULL, is_approver = false, active = false,
                    updated_at = now() WHERE id = ?""")) {
            erase.setString(1, "deleted-" + accountId + "@invalid");
            erase.setInt(2, person);
            erase.executeUpdate();
        }
        try (PreparedStatement unassign = connection.prepareStatement(
                "UPDATE people SET approver_id = NULL, updated_at = now() WHERE approver_id = ?")) {
            unassign.setInt(1, person);
            unassign.executeUpdate();
        }
        try (PreparedStatement unassign = connection.prepareStatement(
                "UPDATE expense_reports SET approver_id = NULL WHERE approver_id = ? AND status = 'submitted'")) {
            unassign.setInt(1, person);
            unassign.executeUpdate();
        }
    }
}
