package dev.usersync.track.sync;

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
import java.sql.Statement;
import java.util.Optional;
import java.util.UUID;

/**
 * Track's rules for its own tables. A person Track sees for the first time (through whichever of their events) either
 * signed up through a pending invitation that is theirs ({@link Invitations}: a link invitation, or one addressed to
 * their email) and gets no personal workspace, joining it now if they may (a link invitation; an email invitation once
 * their email is verified), or, if not, gets exactly one personal workspace. Once their email is verified, a person
 * who still belongs nowhere joins the invitation they signed up through, or, if it is gone, gets their personal
 * workspace. Other invitations addressed to their email wait for them to accept. This runs only inside the apply step,
 * with the account locked, so each decision is taken once per person whatever the order of sign-up event,
 * verification, invitation acceptance and first request. Losing access to Track (or closing the account) deactivates
 * the user and their memberships; regaining it reactivates them.
 */
@ApplicationScoped
public class TrackProjection implements ProductProjection {

    public static final String PRODUCT = "track";

    @Override
    public String product() {
        return PRODUCT;
    }

    @Override
    public String mirrorQuery() {
        return """
                SELECT account_id, email, fullname, timezone, language, active FROM users
                WHERE account_id IS NOT NULL""";
    }

    @Override
    public void apply(Connection connection, AccountEvent event) throws SQLException {
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
            return;
        }
        update(connection, userId, state, state.canUse(PRODUCT));
        String invitation = signUpInvitation(event);
        if (invitation != null && state.canUse(PRODUCT) && state.emailVerified()
                && !belongsAnywhere(connection, userId)) {
            Optional<Invitations.Pending> pending = Invitations.signedUpThrough(connection, invitation, state);
            if (pending.isEmpty() || !Invitations.joinIfJoinable(connection, pending.get(), userId, state)) {
                personalWorkspace(connection, userId, state);
            }
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
        Optional<Invitations.Pending> invitation = Invitations.signedUpThrough(connection, signUpInvitation(event),
                state);
        if (invitation.isEmpty()) {
            personalWorkspace(connection, userId, state);
        } else {
            Invitations.joinIfJoinable(connection, invitation.get(), userId, state);
        }
    }

    /** The digest of the Track invitation the person signed up through, or {@code null}. */
    private static String signUpInvitation(AccountEvent event) {
        SignUpContext signUp = ProductProjection.signUpOf(event);
        return signUp != null && PRODUCT.equals(signUp.product()) ? signUp.invitation() : null;
    }

    private static void personalWorkspace(Connection connection, long userId, AccountState state)
            throws SQLException {
        long workspace = insertWorkspace(connection, workspaceName(state), true);
        join(connection, workspace, userId, "owner");
    }

    private static boolean belongsAnywhere(Connection connection, long userId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT 1 FROM memberships WHERE user_id = ? AND active")) {
            select.setLong(1, userId);
            try (ResultSet row = select.executeQuery()) {
                return row.next();
            }
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

    static void join(Connection connection, long workspaceId, long userId, String role) throws SQLException {
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
        try (PreparedStatement memberships = connection.prepareStatement(
                "UPDATE memberships SET active = ? WHERE user_id = ? AND active <> ?")) {
            memberships.setBoolean(1, active);
            memberships.setLong(2, userId);
            memberships.setBoolean(3, active);
            memberships.executeUpdate();
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
