package dev.usersync.plan.sync;

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
 * Plan's rules for its own tables: people are members with split first and last names; someone who signed up from
 * Plan gets a default team of their own, anyone else who can use Plan starts without one.
 */
@ApplicationScoped
public class PlanProjection implements ProductProjection {

    public static final String PRODUCT = "plan";

    @Override
    public String product() {
        return PRODUCT;
    }

    @Override
    public String mirrorQuery() {
        return """
                SELECT account_id, email, first_name, last_name, locale, time_zone, status FROM members
                WHERE account_id IS NOT NULL""";
    }

    @Override
    public void apply(Connection connection, AccountEvent event) throws SQLException {
        AccountState state = event.data().account();
        Integer memberId = memberOf(connection, event.accountId());
        if (memberId == null) {
            if (state.canUse(PRODUCT)) {
                arrive(connection, event, state);
            }
            return;
        }
        if (state.status() == AccountStatus.CLOSED) {
            try (PreparedStatement delete = connection.prepareStatement("""
                    UPDATE members SET email = ?, first_name = NULL, last_name = NULL, locale = NULL,
                        time_zone = NULL, status = 'deleted', updated_at = now() WHERE id = ?""")) {
                delete.setString(1, "deleted-" + event.accountId() + "@invalid");
                delete.setInt(2, memberId);
                delete.executeUpdate();
            }
            return;
        }
        update(connection, memberId, state, state.canUse(PRODUCT) ? "active" : "suspended");
    }

    public static Integer memberOf(Connection connection, UUID accountId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM members WHERE account_id = ?")) {
            select.setObject(1, accountId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getInt(1) : null;
            }
        }
    }

    private static void arrive(Connection connection, AccountEvent event, AccountState state) throws SQLException {
        String legacy = state.legacyIds().get(PRODUCT);
        if (legacy != null) {
            try (PreparedStatement link = connection.prepareStatement(
                    "UPDATE members SET account_id = ? WHERE id = ? AND account_id IS NULL")) {
                link.setObject(1, state.id());
                link.setInt(2, Integer.parseInt(legacy));
                if (link.executeUpdate() == 1) {
                    update(connection, Integer.parseInt(legacy), state, "active");
                    return;
                }
            }
        }
        String[] names = split(state.name());
        int memberId;
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO members (account_id, email, first_name, last_name, locale, time_zone, status)
                VALUES (?, ?, ?, ?, ?, ?, 'active') RETURNING id""")) {
            insert.setObject(1, state.id());
            insert.setString(2, state.email());
            insert.setString(3, names[0]);
            insert.setString(4, names[1]);
            insert.setString(5, state.locale());
            insert.setString(6, state.timeZone());
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                memberId = row.getInt(1);
            }
        }
        SignUpContext signUp = ProductProjection.signUpOf(event);
        if (signUp != null && PRODUCT.equals(signUp.product())) {
            int team;
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO teams (name, is_default, owner_id) VALUES (?, true, ?) RETURNING id")) {
                insert.setString(1, (names[0] == null ? "My" : names[0] + "'s") + " team");
                insert.setInt(2, memberId);
                try (ResultSet row = insert.executeQuery()) {
                    row.next();
                    team = row.getInt(1);
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO team_members (team_id, member_id) VALUES (?, ?)")) {
                insert.setInt(1, team);
                insert.setInt(2, memberId);
                insert.executeUpdate();
            }
        }
    }

    private static void update(Connection connection, int memberId, AccountState state, String status)
            throws SQLException {
        String[] names = split(state.name());
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE members SET email = ?, first_name = ?, last_name = ?, locale = ?, time_zone = ?, status = ?,
                    updated_at = now() WHERE id = ?""")) {
            update.setString(1, state.email());
            update.setString(2, names[0]);
            update.setString(3, names[1]);
            update.setString(4, state.locale());
            update.setString(5, state.timeZone());
            update.setString(6, status);
            update.setInt(7, memberId);
            update.executeUpdate();
        }
    }

    /** Plan keeps names split: the last word is the last name, the rest the first name. */
    static String[] split(String name) {
        if (name == null || name.isBlank()) {
            return new String[] {null, null};
        }
        String trimmed = name.strip();
        int space = trimmed.lastIndexOf(' ');
        return space < 0 ? new String[] {trimmed, null}
                : new String[] {trimmed.substring(0, space).strip(), trimmed.substring(space + 1)};
    }
}
