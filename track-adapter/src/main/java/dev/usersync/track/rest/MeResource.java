package dev.usersync.track.rest;

import dev.usersync.adapter.auth.CurrentCaller;
import dev.usersync.adapter.auth.ProductUser;
import dev.usersync.web.Problem;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** The signed-in person as Track knows them: its own user row and workspaces. */
@Path("/v1/track/me")
@ProductUser
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    private final CurrentCaller caller;
    private final DataSource dataSource;

    public MeResource(CurrentCaller caller, DataSource dataSource) {
        this.caller = caller;
        this.dataSource = dataSource;
    }

    public record Membership(long workspaceId, String workspace, boolean personal, String role) {
    }

    public record Me(UUID accountId, long userId, String email, String fullname, boolean active,
            List<Membership> memberships) {
    }

    @GET
    public Me me() throws SQLException {
        UUID account = caller.get().accountId();
        try (Connection connection = dataSource.getConnection()) {
            Me user;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, email, fullname, active FROM users WHERE account_id = ?")) {
                select.setObject(1, account);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw Problem.notFound("Track has no user for this account yet");
                    }
                    user = new Me(account, row.getLong(1), row.getString(2), row.getString(3), row.getBoolean(4),
                            new ArrayList<>());
                }
            }
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT w.id, w.name, w.personal, m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
                    WHERE m.user_id = ? AND m.active ORDER BY w.id""")) {
                select.setLong(1, user.userId());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        user.memberships().add(new Membership(rows.getLong(1), rows.getString(2),
                                rows.getBoolean(3), rows.getString(4)));
                    }
                }
            }
            return user;
        }
    }
}
