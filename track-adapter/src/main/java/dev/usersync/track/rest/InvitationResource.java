package dev.usersync.track.rest;

import dev.usersync.adapter.auth.CurrentCaller;
import dev.usersync.adapter.auth.ProductUser;
import dev.usersync.adapter.sync.AccountLock;
import dev.usersync.events.AccountState;
import dev.usersync.events.EventCodec;
import dev.usersync.events.EventSchemas;
import dev.usersync.track.config.TrackConfig;
import dev.usersync.track.sync.Invitations;
import dev.usersync.track.sync.TrackProjection;
import dev.usersync.web.Problem;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Track's invitations. An email invitation is joined only by the account whose verified email is its address; a link
 * invitation ("anyone with this link") by whoever follows it. Both expire, and the workspace's owners and admins can
 * revoke them. Accepting one writes the caller's local rows, so it runs under the caller's account lock, the same one
 * every log event and sync-on-miss of that account takes: it can never interleave with the decision about a personal
 * workspace.
 */
@Path("/v1/track")
@ProductUser
@Produces(MediaType.APPLICATION_JSON)
public class InvitationResource {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CurrentCaller caller;
    private final DataSource dataSource;
    private final TrackConfig config;

    public InvitationResource(CurrentCaller caller, DataSource dataSource, TrackConfig config) {
        this.caller = caller;
        this.dataSource = dataSource;
        this.config = config;
    }

    /** An invitation for {@code email}, or for anyone with its link when {@code anyoneWithLink} is true. */
    public record Invite(String email, Boolean anyoneWithLink) {
    }

    public record Invitation(String code, long workspaceId, String email, boolean anyoneWithLink, Instant expiresAt) {
    }

    /** Invites an email (or anyone with the link) to a workspace the caller owns or administers. */
    @POST
    @Path("/workspaces/{workspace}/invitations")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response invite(@PathParam("workspace") long workspace, Invite invite) {
        boolean link = invite != null && Boolean.TRUE.equals(invite.anyoneWithLink());
        String email = invite == null || invite.email() == null ? null : invite.email().trim();
        if (link == (email != null)) {
            throw Problem.badRequest("invalid-invitation", "an invitation names an email address, or is for "
                    + "anyone with its link (\"anyoneWithLink\": true), not both");
        }
        if (email != null && !EventSchemas.validateValue("email", email).isEmpty()) {
            throw Problem.badRequest("invalid-email", "an invitation needs an email address");
        }
        byte[] secret = new byte[18];
        RANDOM.nextBytes(secret);
        String code = "inv-" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant expires = Instant.now().plus(config.invitations().ttl());
        inTransaction(connection -> {
            long inviter = requireAdmin(connection, workspace);
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO invitations (code, workspace_id, kind, email, expires_at, invited_by)
                    VALUES (?, ?, ?, ?, ?, ?)""")) {
                insert.setString(1, code);
                insert.setLong(2, workspace);
                insert.setString(3, link ? "link" : "email");
                insert.setString(4, email);
                insert.setTimestamp(5, Timestamp.from(expires));
                insert.setLong(6, inviter);
                insert.executeUpdate();
            }
            return null;
        });
        return Response.status(201).entity(new Invitation(code, workspace, email, link, expires)).build();
    }

    /** Revokes a pending invitation of a workspace the caller owns or administers. */
    @DELETE
    @Path("/invitations/{code}")
    public Response revoke(@PathParam("code") String code) {
        inTransaction(connection -> {
            long workspace;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT workspace_id FROM invitations WHERE code = ? FOR UPDATE")) {
                select.setString(1, code);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw Problem.notFound("no such invitation");
                    }
                    workspace = row.getLong(1);
                }
            }
            long admin = requireAdmin(connection, workspace);
            try (PreparedStatement update = connection.prepareStatement("UPDATE invitations SET status = 'revoked', "
                    + "revoked_by = ? WHERE code = ? AND status = 'pending'")) {
                update.setLong(1, admin);
                update.setString(2, code);
                update.executeUpdate();
            }
            return null;
        });
        return Response.noContent().build();
    }

    /** Accepts an invitation for the caller; accepting it again is a no-op. */
    @POST
    @Path("/invitations/{code}/accept")
    @Consumes(MediaType.WILDCARD)
    public Response accept(@PathParam("code") String code) {
        UUID account = caller.get().accountId();
        long workspace = inTransaction(connection -> {
            AccountLock.lock(connection, account);
            Long user = TrackProjection.userOf(connection, account);
            if (user == null) {
                throw Problem.forbidden("this account has no Track user");
            }
            return Invitations.accept(connection, code, user, stateOf(connection, account));
        });
        return Response.ok(Map.of("workspaceId", workspace)).build();
    }

    /** The caller's Track user, if they own or administer the workspace; 403 otherwise. */
    private long requireAdmin(Connection connection, long workspace) throws SQLException {
        try (PreparedStatement allowed = connection.prepareStatement("""
                SELECT u.id FROM memberships m JOIN users u ON u.id = m.user_id
                WHERE m.workspace_id = ? AND u.account_id = ? AND m.active AND m.role IN ('owner', 'admin')""")) {
            allowed.setLong(1, workspace);
            allowed.setObject(2, caller.get().accountId());
            try (ResultSet row = allowed.executeQuery()) {
                if (!row.next()) {
                    throw Problem.forbidden("only a workspace's owners and admins invite and revoke invitations");
                }
                return row.getLong(1);
            }
        }
    }

    /** The account as the log left it here: whose email, verified or not. */
    private static AccountState stateOf(Connection connection, UUID account) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT state FROM sync_accounts WHERE account_id = ?")) {
            select.setObject(1, account);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return EventCodec.mapper().readValue(row.getString(1), AccountState.class);
            }
        } catch (IOException e) {
            throw new IllegalStateException("the stored state of account " + account + " is unreadable", e);
        }
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T inTransaction(Work<T> work) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return work.run(connection);
            }
        });
    }
}
