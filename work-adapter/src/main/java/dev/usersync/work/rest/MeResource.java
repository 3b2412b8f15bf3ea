package dev.usersync.work.rest;

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
import java.util.UUID;
import javax.sql.DataSource;

/** The signed-in person as Work knows them: cost centre, approver, and how many expense reports they filed. */
@Path("/v1/work/me")
@ProductUser
@Produces(MediaType.APPLICATION_JSON)
public class MeResource {

    private final CurrentCaller caller;
    private final DataSource dataSource;

    public MeResource(CurrentCaller caller, DataSource dataSource) {
        this.caller = caller;
        this.dataSource = dataSource;
    }

    public record Me(UUID accountId, int personId, String email, String displayName, String costCenter,
            String approver, boolean isApprover, boolean active, int expenseReports) {
    }

    @GET
    public Me me() throws SQLException {
        UUID account = caller.get().accountId();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("""
                        SELECT p.id, p.email, p.display_name, p.cost_center, a.display_name, p.is_approver, p.active,
                            (SELECT count(*) FROM expense_reports r WHERE r.person_id = p.id)
                        FROM people p LEFT JOIN people a ON a.id = p.approver_id WHERE p.account_id = ?""")) {
            select.setObject(1, account);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw Problem.notFound("Work has no person for this account yet");
                }
                return new Me(account, row.getInt(1), row.getString(2), row.getString(3), row.getString(4),
                        row.getString(5), row.getBoolean(6), row.getBoolean(7), row.getInt(8));
            }
        }
    }
}
