package dev.usersync.accounts.authlog.rest;

import dev.usersync.accounts.authlog.model.AuthLogEntry;
import dev.usersync.accounts.authlog.service.AuthAction;
import dev.usersync.accounts.authlog.service.AuthLog;
import dev.usersync.accounts.web.AdminGuard;
import dev.usersync.web.Problem;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Search of the auth log for support staff and auditors: by account, time range, action, product, outcome. */
@Path("/v1/admin/auth-log")
@Produces(MediaType.APPLICATION_JSON)
public class AuthLogResource {

    private static final int MAX_SIZE = 500;

    private final AuthLog authLog;
    private final AdminGuard admin;

    public AuthLogResource(AuthLog authLog, AdminGuard admin) {
        this.authLog = authLog;
        this.admin = admin;
    }

    public record Entry(long id, Instant at, UUID accountId, String action, String outcome, String method,
            String product, String clientId, String ip, String userAgent, String reason) {

        static Entry of(AuthLogEntry e) {
            return new Entry(e.id, e.at, e.accountId, e.action, e.outcome, e.method, e.product, e.clientId, e.ip,
                    e.userAgent, e.reason);
        }
    }

    public record Page(List<Entry> entries, int page, int size, long total) {
    }

    @GET
    public Page search(@Context HttpHeaders headers, @QueryParam("accountId") UUID accountId,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("action") String action,
            @QueryParam("product") String product, @QueryParam("outcome") String outcome,
            @QueryParam("page") @DefaultValue("0") int page, @QueryParam("size") @DefaultValue("50") int size) {
        admin.require(headers);
        if (page < 0 || size < 1 || size > MAX_SIZE) {
            throw Problem.badRequest("invalid-page", "page is 0 or more; size is 1 to " + MAX_SIZE);
        }
        AuthLog.Result result = authLog.search(new AuthLog.Search(accountId, instant("from", from),
                instant("to", to), action(action), product, outcome), page, size);
        return new Page(result.entries().stream().map(Entry::of).toList(), page, size, result.total());
    }

    private static Instant instant(String name, String value) {
        try {
            return value == null ? null : Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw Problem.badRequest("invalid-time", name + " is an ISO-8601 instant, e.g. 2026-11-21T08:00:00Z");
        }
    }

    private static AuthAction action(String code) {
        try {
            return code == null ? null : AuthAction.fromCode(code);
        } catch (IllegalArgumentException e) {
            throw Problem.badRequest("invalid-action", "action is one of " + Arrays.stream(AuthAction.values())
                    .map(AuthAction::code).toList());
        }
    }
}
