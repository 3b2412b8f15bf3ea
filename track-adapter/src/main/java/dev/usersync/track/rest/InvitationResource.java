package dev.usersync.track.rest;

import dev.usersync.adapter.auth.CurrentCaller;
import dev.usersync.adapter.auth.ProductUser;
import dev.usersync.adapter.sync.AccountLock;
import dev.usersync.web.Problem;
import dev.usersync.track.sync.TrackProjection;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Track's invitations. Accepting one writes the caller's local rows, so it runs under the caller's account lock, the
 * same one every log event and sync-on-miss of that account takes: it can never interleave with the decision about a
 * personal workspace.
 */
@Path("/v1/track")
@ProductUser
@Produces(MediaType.APPLICATION_JSON)
public class InvitationResource {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final CurrentCaller caller;
    private final DataSource dataSource;

    public InvitationResource(CurrentCaller caller, DataSource dataSource) {
        this.caller = caller;
        this.dataSource = dataSource;
    }

    public record Invite(String email) {
    }

    public record Invitation(String code, long workspaceId, String email) {
    }

    /** Invites an email to a workspace the caller owns or administers. */
    @POST
    @Path("/workspaces/{workspace}/invitations")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response invite(@PathParam("workspace") long workspace, Invite invite) {
        if (invite == null || invite.email() == null || !invite.email().contains("@")) {
            throw Problem.badRequest("invalid-email", "an invitation needs an email address");
        }
        UUID account = caller.get().accountId();
        String code = "inv-" + Base64.getUrlEncoder().withoutPadding().encodeToString(RANDOM.generateSeed(12));
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection connection = dataSource.getConnection()) {
                try (PreparedStatement allowed = connection.prepareStatement("""
                        SELECT 1 FROM memberships m JOIN users u ON u.id = m.user_id
                        WHERE m.workspace_id = ? AND u.account_id = ? AND m.active AND m.role IN ('owner', 'admin')""")) {
                    allowed.setLong(1, workspace);
                    allowed.setObject(2, account);
                    try (ResultSet row = allowed.executeQuery()) {
                        if (!row.next()) {
                            throw Problem.forbidden("only a workspace's owners and admins invite");
                        }
                    }
                }
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO invitations (code, workspace_id, email) VALUES (?, ?, ?)")) {
                    insert.setString(1, code);
                    insert.setLong(2, workspace);
                    insert.setString(3, invite.email().trim());
                    insert.executeUpdate();
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        return Response.status(201).entity(new Invitation(code, workspace, invite.email().trim())).build();
    }

    /** Accepts an invitation for the caller; accepting it again is a no-op. */
    @POST
    @Path("/invitations/{code}/accept")
    @Consumes(MediaType.WILDCARD)
    public Response accept(@PathParam("code") String code) {
        UUID account = caller.get().accountId();
        long workspace = QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection()) {
                AccountLock.lock(connection, account);
                Long user = TrackProjection.userOf(connection, account);
                if (user == null) {
                    throw Problem.forbidden("this account has no Track user");
                }
                return TrackProjection.accept(connection, code, user);
            }
        });
        return Response.ok(java.util.Map.of("workspaceId", workspace)).build();
    }
}
