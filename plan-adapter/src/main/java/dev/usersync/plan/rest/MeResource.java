package dev.usersync.plan.rest;

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

/** The signed-in person as Plan knows them: its member row and teams. */
@Path("/v1/plan/me")
@ProductUser
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    private final CurrentCaller caller;
    private final DataSource dataSource;

    public MeResource(CurrentCaller caller, DataSource dataSource) {
        this.caller = caller;
        this.dataSource = dataSource;
    }

    public record Team(int id, String name, boolean isDefault) {
    }

    public record Me(UUID accountId, int memberId, String email, String firstName, String lastName, String status,
            List<Team> teams) {
    }

    @GET
    public Me me() throws SQLException {
        UUID account = caller.get().accountId();
        try (Connection connection = dataSource.getConnection()) {
            Me member;
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT id, email, first_name, last_name, status FROM members WHERE account_id = ?")) {
                select.setObject(1, account);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        throw Problem.notFound("Plan has no member for this account yet");
                    }
                    member = new Me(account, row.getInt(1), row.getString(2), row.getString(3), row.getString(4),
                            row.getString(5), new ArrayList<>());
                }
            }
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT t.id, t.name, t.is_default FROM teams t JOIN team_members tm ON tm.team_id = t.id
                    WHERE tm.member_id = ? ORDER BY t.id""")) {
                select.setInt(1, member.memberId());
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        member.teams().add(new Team(rows.getInt(1), rows.getString(2), rows.getBoolean(3)));
                    }
                }
            }
            return member;
        }
    }
}
