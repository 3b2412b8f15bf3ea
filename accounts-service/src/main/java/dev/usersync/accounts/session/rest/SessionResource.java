package dev.usersync.accounts.session.rest;

import dev.usersync.accounts.account.model.Account;
import dev.usersync.accounts.account.service.Fields;
import dev.usersync.accounts.authlog.service.AuthAction;
import dev.usersync.accounts.authlog.service.AuthLog;
import dev.usersync.accounts.session.model.Session;
import dev.usersync.accounts.session.service.Authentication;
import dev.usersync.accounts.session.service.Sessions;
import dev.usersync.accounts.session.service.SignedIn;
import dev.usersync.events.SessionRevoked;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/** Login and logout of browsers: the domain-wide session cookie. */
@Path("/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    private final Authentication authentication;
    private final Sessions sessions;
    private final SessionCookies cookies;
    private final AuthLog authLog;
    private final CurrentSignedIn signedIn;

    private final dev.usersync.accounts.account.service.AccountService accounts;

    public SessionResource(Authentication authentication, Sessions sessions, SessionCookies cookies, AuthLog authLog,
            dev.usersync.accounts.account.service.AccountService accounts, CurrentSignedIn signedIn) {
        this.signedIn = signedIn;
        this.accounts = accounts;
        this.authentication = authentication;
        this.sessions = sessions;
        this.cookies = cookies;
        this.authLog = authLog;
    }

    public record Login(@NotNull String email, @NotNull String password, String product) {
        @Override
        public String toString() {
            return "Login[product=" + product + "]";
        }
    }

    @POST
    @Path("/login")
    public Response login(@Valid @NotNull Login login) {
        if (login.product() != null) {
            accounts.knownProduct(login.product());
        }
        Sessions.WebSession web = authentication.login(Fields.email(login.email()), login.password(), login.product());
        return cookies.set(Response.ok(SessionView.of(web)), web).build();
    }

    @POST
    @Path("/logout")
    @Consumes(MediaType.WILDCARD)
    @SignedInCaller
    public Response logout() {
        SignedIn caller = signedIn.get();
        QuarkusTransaction.requiringNew().run(() -> {
            Account account = Account.lock(caller.accountId()).orElseThrow();
            sessions.revoke(account, List.of(Session.<Session>findById(caller.sessionId())),
                    SessionRevoked.Reason.LOGOUT);
        });
        authLog.record(AuthLog.Attempt.success(caller.accountId(), AuthAction.LOGOUT,
                caller.viaCookie() ? "cookie" : "bearer"));
        return cookies.clear(Response.noContent()).build();
    }
}
