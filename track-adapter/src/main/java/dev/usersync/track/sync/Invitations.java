package dev.usersync.track.sync;

import dev.usersync.events.AccountState;
import dev.usersync.web.Problem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

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
     * The invitation a person signed up through (by its code's digest, as events carry it), if it is pending and
     * theirs: a link invitation, or one addressed to their email, joinable now or once they verify it. Invitations
     * addressed to the email that they did not sign up through are not joined for them: anyone may invite any
     * address, and only the person decides to accept one.
     */
    static Optional<Pending> signedUpThrough(Connection connection, String codeDigest, AccountState state)
            throws SQLException {
        if (codeDigest == null) {
            return Optional.empty();
        }
        try (PreparedStatement select = connection.prepareStatement("""
                SELECT id, workspace_id, kind, email FROM invitations
                WHERE code_hash = ? AND status = 'pending' AND expires_at > now() FOR UPDATE""")) {
            select.setString(1, codeDigest);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                Pending pending = new Pending(row.getLong(1), row.getLong(2), row.getString(3), row.getString(4));
                return pending.link() || pending.addressedTo(state) ? Optional.of(pending) : Optional.empty();
            }
        }
    }

    /** Joins the invitation if this account may join it now; whether it did. */
    static boolean joinIfJoinable(Connection connection, Pending invitation, long userId, AccountState state)
            throws SQLException {
        if (!invitation.joinableBy(state)) {
            return false;
        }
        join(connection, invitation, userId);
        return true;
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
