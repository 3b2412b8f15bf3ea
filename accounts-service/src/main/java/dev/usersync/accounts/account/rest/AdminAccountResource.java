package dev.usersync.accounts.account.rest;

import dev.usersync.accounts.account.service.AccountService;
import dev.usersync.accounts.authlog.service.AuthAction;
import dev.usersync.accounts.authlog.service.AuthLog;
import dev.usersync.accounts.mail.Mails;
import dev.usersync.accounts.throttle.Throttle;
import dev.usersync.accounts.web.AdminGuard;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.UUID;

/**
 * Support and administration: read any account, grant and revoke products, force a password reset, unlock, end every
 * session, and re-emit the account's state to every product. Each support action is recorded in the auth log.
 */
@Path("/v1/admin/accounts/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class AdminAccountResource {

    private static final String ADMIN = "admin";

    private final AccountService accounts;
    private final AdminGuard admin;
    private final Throttle throttle;
    private final Mails mails;
    private final AuthLog authLog;

    public AdminAccountResource(AccountService accounts, AdminGuard admin, Throttle throttle, Mails mails,
            AuthLog authLog) {
        this.accounts = accounts;
        this.admin = admin;
        this.throttle = throttle;
        this.mails = mails;
        this.authLog = authLog;
    }

    /** What a support action did. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Done(String action, Integer sessionsEnded, Long sequence) {
    }

    /**
     * The password stops working; every session and mailed link ends; a reset link goes to the account's address. For
     * an account that may be in someone else's hands.
     */
    @POST
    @Path("/password-reset")
    public Done forceReset(@Context HttpHeaders headers, @PathParam("id") UUID id) {
        admin.require(headers);
        AccountService.ResetLink link = accounts.forceReset(id);
        mails.passwordReset(link.email(), link.token());
        authLog.record(AuthLog.Attempt.success(id, AuthAction.ADMIN_PASSWORD_RESET, ADMIN));
        return new Done("password-reset", null, null);
    }

    /** Forgets every failed attempt counted against the account, from any client. */
    @POST
    @Path("/unlock")
    public Done unlock(@Context HttpHeaders headers, @PathParam("id") UUID id) {
        admin.require(headers);
        throttle.clearAccount(accounts.find(id).email);
        authLog.record(AuthLog.Attempt.success(id, AuthAction.ADMIN_UNLOCK, ADMIN));
        return new Done("unlock", null, null);
    }

    /** Ends every session (browsers and apps, refresh tokens included); every product learns it from the log. */
    @POST
    @Path("/sessions/end")
    public Done endSessions(@Context HttpHeaders headers, @PathParam("id") UUID id) {
        admin.require(headers);
        int ended = accounts.endSessions(id);
        authLog.record(AuthLog.Attempt.success(id, AuthAction.ADMIN_END_SESSIONS, ADMIN));
        return new Done("end-sessions", ended, null);
    }

    /** Re-emits the account's current state to every product (closed accounts too), as a new event of the log. */
    @POST
    @Path("/resync")
    public Done resync(@Context HttpHeaders headers, @PathParam("id") UUID id) {
        admin.require(headers);
        long sequence = accounts.resync(id);
        authLog.record(AuthLog.Attempt.success(id, AuthAction.ADMIN_RESYNC, ADMIN));
        return new Done("resync", null, sequence);
    }

    @GET
    public AccountView get(@Context HttpHeaders headers, @PathParam("id") UUID id) {
        admin.require(headers);
        return AccountView.of(accounts.find(id));
    }

    /** Idempotent: granting a product the account has changes nothing and records no event. */
    @PUT
    @Path("/products/{product}")
    public AccountView grant(@Context HttpHeaders headers, @PathParam("id") UUID id,
            @PathParam("product") String product) {
        admin.require(headers);
        accounts.grant(id, product);
        return AccountView.of(accounts.find(id));
    }

    /** Idempotent: revoking a product the account lacks changes nothing and records no event. */
    @DELETE
    @Path("/products/{product}")
    public AccountView revoke(@Context HttpHeaders headers, @PathParam("id") UUID id,
            @PathParam("product") String product) {
        admin.require(headers);
        accounts.revoke(id, product);
        return AccountView.of(accounts.find(id));
    }
}
