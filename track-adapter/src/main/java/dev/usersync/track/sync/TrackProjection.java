package dev.usersync.track.sync;

import dev.usersync.adapter.sync.ProductProjection;
import dev.usersync.events.AccountCreated;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.AccountState;
import dev.usersync.events.AccountStatus;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Track's rules for its own tables. A person Track sees for the first time either joins the workspaces they were
 * invited to (through the invitation they signed up with, or any pending invitation for their email) or, if none,
 * gets exactly one personal workspace. This runs only inside the apply step, with the account locked, so the decision
 * is taken once per person whatever the order of sign-up event, invitation acceptance and first request.
 */
@ApplicationScoped
public class TrackProjection implements ProductProjection {

    public static final String PRODUCT = "track";

    @Override
    public String mirrorQuery() {
        return """
                SELECT account_id, email, fullname, timezone, language, active FROM users
                WHERE account_id IS NOT NULL""";
    }

    @Override
    public void apply(Connection connection, AccountEvent event, AccountState previous) throws SQLException {
        AccountState state = event.data().account();
        Long userId = userOf(connection, event.accountId());
        if (userId == null) {
            if (state.canUse(PRODUCT)) {
                arrive(connection, event, state);
            }
            return;
        }
        if (state.status() == AccountStatus.CLOSED) {
            anonymise(connection, userId, event.accountId());
        } else {
            update(connection, userId, state, state.canUse(PRODUCT));
        }
    }

    /** The Track user of an account, or {@code null}. */
    public static Long userOf(Connection connection, UUID accountId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT id FROM users WHERE account_id = ?")) {
            select.setObject(1, accountId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getLong(1) : null;
            }
        }
    }

    private static void arrive(Connection connection, AccountEvent event, AccountState state) throws SQLException {
        String legacy = state.legacyIds().get(PRODUCT);
        if (legacy != null && link(connection, Long.parseLong(legacy), state)) {
            return;
        }
        long userId;
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO users (account_id, email, fullname, timezone, language, active) VALUES (?, ?, ?, ?, ?, "
                        + "true) RETURNING id")) {
            insert.setObject(1, state.id());
            insert.setString(2, state.email());
            insert.setString(3, state.name());
            insert.setString(4, state.timeZone());
            insert.setString(5, state.locale());
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                userId = row.getLong(1);
            }
        }
        String invitation = event.data() instanceof AccountCreated created
                && PRODUCT.equals(created.signUp().product()) ? created.signUp().invitation() : null;
        List<long[]> invitations = pendingInvitations(connection, invitation, state.email());
        if (invitations.isEmpty()) {
            long workspace = insertWorkspace(connection, workspaceName(state), true);
            join(connection, workspace, userId, "owner");
            return;
        }
        for (long[] pending : invitations) {
            join(connection, pending[1], userId, "member");
            markAccepted(connection, pending[0], userId);
        }
    }

    /**
     * Accepts invitation {@code code} for an existing user, with the account locked by the caller; returns its
     * workspace. Accepting an invitation this user already accepted changes nothing.
     */
    public static long accept(Connection connection, String code, long userId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT id, workspace_id, status, accepted_by FROM invitations WHERE code = ? FOR UPDATE")) {
            select.setString(1, code);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw dev.usersync.web.Problem.notFound("no such invitation");
                }
                long id = row.getLong(1);
                long workspace = row.getLong(2);
                String status = row.getString(3);
                if ("accepted".equals(status) && row.getLong(4) == userId) {
                    return workspace;
                }
                if (!"pending".equals(status)) {
                    throw new dev.usersync.web.Problem(409, "invitation-used", "Conflict",
                            "this invitation was used or revoked");
                }
                join(connection, workspace, userId, "member");
                markAccepted(connection, id, userId);
                return workspace;
            }
        }
    }

    private static void markAccepted(Connection connection, long invitationId, long userId) throws SQLException {
        try (PreparedStatement accept = connection.prepareStatement(
                "UPDATE invitations SET status = 'accepted', accepted_by = ? WHERE id = ?")) {
            accept.setLong(1, userId);
            accept.setLong(2, invitationId);
            accept.executeUpdate();
        }
    }

    /** A legacy Track user (imported into accounts) becomes this account's user, keeping its workspaces. */
    private static boolean link(Connection connection, long legacyUserId, AccountState state) throws SQLException {
        try (PreparedStatement link = connection.prepareStatement(
                "UPDATE users SET account_id = ? WHERE id = ? AND account_id IS NULL")) {
            link.setObject(1, state.id());
            link.setLong(2, legacyUserId);
            if (link.executeUpdate() == 0) {
                return false;
            }
        }
        update(connection, legacyUserId, state, true);
        return true;
    }

    /** Pending invitations for this person: the one they signed up through, and any to their email. */
    private static List<long[]> pendingInvitations(Connection connection, String code, String email)
            throws SQLException {
        List<long[]> found = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT id, workspace_id FROM invitations
                WHERE status = 'pending' AND (code = ? OR lower(email) = lower(?))
                ORDER BY id FOR UPDATE""")) {
            select.setString(1, code);
            select.setString(2, email);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    found.add(new long[] {rows.getLong(1), rows.getLong(2)});
                }
            }
        }
        return found;
    }

    private static long insertWorkspace(Connection connection, String name, boolean personal) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO workspaces (name, personal) VALUES (?, ?) RETURNING id")) {
            insert.setString(1, name);
            insert.setBoolean(2, personal);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static void join(Connection connection, long workspaceId, long userId, String role) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO memberships (workspace_id, user_id, role) VALUES (?, ?, ?)
                ON CONFLICT (workspace_id, user_id) DO UPDATE SET active = true""")) {
            insert.setLong(1, workspaceId);
            insert.setLong(2, userId);
            insert.setString(3, role);
            insert.executeUpdate();
        }
    }

    private static void update(Connection connection, long userId, AccountState state, boolean active)
            throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE users SET email = ?, fullname = ?, timezone = ?, language = ?, active = ?, updated_at = now()
                WHERE id = ?""")) {
            update.setString(1, state.email());
            update.setString(2, state.name());
            update.setString(3, state.timeZone());
            update.setString(4, state.locale());
            update.setBoolean(5, active);
            update.setLong(6, userId);
            update.executeUpdate();
        }
    }

    /** Closure: the user stays (Track's data refers to it) but holds nothing personal and belongs nowhere. */
    private static void anonymise(Connection connection, long userId, UUID accountId) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE users SET email = ?, fullname = NULL, timezone = NULL, language = NULL, active = false,
                    updated_at = now() WHERE id = ?""");
                Statement end = connection.createStatement()) {
            update.setString(1, "closed-" + accountId + "@invalid");
            update.setLong(2, userId);
            update.executeUpdate();
            end.executeUpdate("UPDATE memberships SET active = false WHERE user_id = " + userId);
        }
    }

    private static String workspaceName(AccountState state) {
        return (state.name() == null ? "My" : state.name() + "'s") + " workspace";
    }
}
