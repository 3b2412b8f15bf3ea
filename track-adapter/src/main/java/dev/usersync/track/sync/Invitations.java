package dev.usersync.track.sync;

import dev.usersync.events.AccountState;
import dev.usersync.web.Problem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may join a workspace through an invitation: an email invitation only the account whose <em>verified</em> email
 * is its address (an address anyone can type at sign-up proves nothing); a link invitation ("anyone with this link")
 * whoever follows it, until it expires or is revoked. Every method runs with the account's lock held by the caller,
 * the lock every log event and sync-on-miss of that account takes.
 */
public final class Invitations {

    private Invitations() {
    }

    /** A pending, unexpired invitation. */
    record Pending(long id, long workspaceId, String kind, String email) {
        boolean link() {
            return "link".equals(kind);
        }

        boolean addressedTo(AccountState state) {
            return email != null && email.equalsIgnoreCase(state.email());
        }

        /** Whether this account may join through it now. */
        boolean joinableBy(AccountState state) {
            return link() || addressedTo(state) && state.emailVerified();
        }
    }

    /**
     * The invitations a person arriving in Track is the invitee of: the one they signed up through (if a link
     * invitation, or addressed to them) and every one addressed to their email, joinable now or once they verify it.
     */
    static List<Pending> awaiting(Connection connection, String signUpCode, AccountState state) throws SQLException {
        List<Pending> found = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT id, workspace_id, kind, email FROM invitations
                WHERE status = 'pending' AND expires_at > now() AND (code = ? OR lower(email) = lower(?))
                ORDER BY id FOR UPDATE""")) {
            select.setString(1, signUpCode);
            select.setString(2, state.email());
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    Pending pending = new Pending(rows.getLong(1), rows.getLong(2), rows.getString(3),
                            rows.getString(4));
                    if (pending.link() || pending.addressedTo(state)) {
                        found.add(pending);
                    }
                }
            }
        }
        return found;
    }

    /** Joins every invitation of {@code pending} this account may join now; returns how many. */
    static int joinWhatIsJoinable(Connection connection, List<Pending> pending, long userId, AccountState state)
            throws SQLException {
        int joined = 0;
        for (Pending invitation : pending) {
            if (invitation.joinableBy(state)) {
                join(connection, invitation, userId);
                joined++;
            }
        }
        return joined;
    }

    /**
     * Accepts invitation {@code code} for an existing user whose state the log gave as {@code state}; returns its
     * workspace. Accepting one this user already accepted changes nothing.
     */
    public static long accept(Connection connection, String code, long userId, AccountState state)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT id, workspace_id, kind, email, status, accepted_by, expires_at > now() FROM invitations
                WHERE code = ? FOR UPDATE""")) {
            select.setString(1, code);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw Problem.notFound("no such invitation");
                }
                Pending invitation = new Pending(row.getLong(1), row.getLong(2), row.getString(3), row.getString(4));
                String status = row.getString(5);
                if ("accepted".equals(status) && row.getLong(6) == userId) {
                    return invitation.workspaceId();
                }
                if (!"pending".equals(status) || !row.getBoolean(7)) {
                    throw Problem.conflict("invitation-used", "this invitation was used, revoked or has expired");
                }
                if (!invitation.link() && !invitation.addressedTo(state)) {
                    throw Problem.forbidden("this invitation is for another email address");
                }
                if (!invitation.joinableBy(state)) {
                    throw Problem.forbidden("verify your email address to accept this invitation");
                }
                join(connection, invitation, userId);
                return invitation.workspaceId();
            }
        }
    }

    /** An email invitation is used once; a link invitation stays open for others until it expires or is revoked. */
    private static void join(Connection connection, Pending invitation, long userId) throws SQLException {
        TrackProjection.join(connection, invitation.workspaceId(), userId, "member");
        if (!invitation.link()) {
            try (PreparedStatement accept = connection.prepareStatement(
                    "UPDATE invitations SET status = 'accepted', accepted_by = ? WHERE id = ?")) {
                accept.setLong(1, userId);
                accept.setLong(2, invitation.id());
                accept.executeUpdate();
            }
        }
    }
}
