package dev.usersync.adapter.probe;

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

/** The probe product's one endpoint: the signed-in person's row, behind adapter-core's token checks. */
@Path("/v1/probe/me")
@ProductUser
@Produces(MediaType.APPLICATION_JSON)
public class ProbeResource {

    private final CurrentCaller caller;
    private final DataSource dataSource;

    public ProbeResource(CurrentCaller caller, DataSource dataSource) {
        this.caller = caller;
        this.dataSource = dataSource;
    }

    public record Me(UUID accountId, String email, String name, boolean active) {
    }

    @GET
    public Me me() throws SQLException {
        UUID account = caller.get().accountId();
        try (Connection connection = dataSource.getConnection(); PreparedStatement select = connection
                .prepareStatement("SELECT email, name, active FROM people WHERE account_id = ?")) {
            select.setObject(1, account);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    throw Problem.notFound("no person for this account yet");
                }
                return new Me(account, row.getString(1), row.getString(2), row.getBoolean(3));
            }
        }
    }
}
