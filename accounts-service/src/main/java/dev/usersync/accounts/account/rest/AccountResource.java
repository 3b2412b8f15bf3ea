package dev.usersync.accounts.account.rest;

import dev.usersync.accounts.account.model.Account;
import dev.usersync.accounts.account.service.AccountService;
import dev.usersync.accounts.account.service.Fields;
import dev.usersync.accounts.authlog.service.AuthAction;
import dev.usersync.accounts.authlog.service.AuthLog;
import dev.usersync.accounts.mail.Mails;
import dev.usersync.accounts.session.rest.CurrentSignedIn;
import dev.usersync.accounts.session.rest.SessionCookies;
import dev.usersync.accounts.session.rest.SessionView;
import dev.usersync.accounts.session.rest.SignedInCaller;
import dev.usersync.accounts.session.service.Authentication;
import dev.usersync.accounts.session.service.Sessions;
import dev.usersync.accounts.session.service.SignedIn;
import dev.usersync.accounts.throttle.KnownDevices;
import dev.usersync.accounts.throttle.RateLimits;
import dev.usersync.accounts.throttle.Throttle;
import dev.usersync.events.AccountClosed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Sign-up and everything a person does with their own account. */
@Path("/v1")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    private final AccountService accounts;
    private final Sessions sessions;
    private final Authentication authentication;
    private final SessionCookies cookies;
    private final Mails mails;
    private final AuthLog authLog;
    private final Throttle throttle;
    private final KnownDevices devices;
    private final RateLimits rateLimits;
    private final CurrentSignedIn signedIn;

    public AccountResource(AccountService accounts, Sessions sessions, Authentication authentication,
            SessionCookies cookies, Mails mails, AuthLog authLog, Throttle throttle, KnownDevices devices,
            RateLimits rateLimits, CurrentSignedIn signedIn) {
        this.signedIn = signedIn;
        this.throttle = throttle;
        this.devices = devices;
        this.rateLimits = rateLimits;
        this.accounts = accounts;
        this.sessions = sessions;
        this.authentication = authentication;
        this.cookies = cookies;
        this.mails = mails;
        this.authLog = authLog;
    }

    /** Creates the account, signs the person in, and mails a link to verify the address. */
    @POST
    @Path("/signup")
    public Response signUp(@Valid @NotNull Requests.SignUp request) {
        String email = Fields.email(request.email());
        String name = Fields.name(request.name());
        String locale = Fields.locale(request.locale());
        String timeZone = Fields.timeZone(request.timeZone());
        String invitation = Fields.invitation(request.invitation());
        accounts.knownProduct(request.product());
        rateLimits.take(RateLimits.Action.SIGN_UP, email);
        accounts.requireEmailFree(email);
        AccountService.SignUp signUp = new AccountService.SignUp(email,
                accounts.hashNewPassword(request.password(), email), name, locale, timeZone, request.product(),
                invitation);
        AccountService.SignedUp done = accounts.signUp(signUp);
        mails.verification(done.account().email, done.verificationToken());
        authLog.record(AuthLog.Attempt.success(done.account().id, AuthAction.SIGN_UP, Authentication.PASSWORD)
                .product(request.product()));
        return cookies.set(Response.status(Response.Status.CREATED).entity(SessionView.of(done.session())),
                done.session().withDevice(devices.remember(done.account().id))).build();
    }

    @GET
    @Path("/me")
    @SignedInCaller
    public AccountView me() {
        return AccountView.of(accounts.find(signedIn.get().accountId()));
    }

    /**
     * Changes email, name, locale or time zone. A new email needs the current password or a recent sign-in; it must be
     * verified again, the old address is told (with a link to undo the change), and every other session ends.
     */
    @PATCH
    @Path("/me")
    @SignedInCaller
    public AccountView change(@Valid @NotNull Requests.ProfileChange request) {
        SignedIn caller = signedIn.get();
        String email = request.email() == null ? null : Fields.email(request.email());
        AccountService.ProfileChange change = new AccountService.ProfileChange(email, Fields.name(request.name()),
                Fields.locale(request.locale()), Fields.timeZone(request.timeZone()));
        if (email != null && !email.equalsIgnoreCase(accounts.find(caller.accountId()).email)) {
            authentication.requireRecent(caller, request.currentPassword(), AuthAction.EMAIL_CHANGE);
            rateLimits.take(RateLimits.Action.VERIFICATION_MAIL, email);
        }
        AccountService.Changed changed = accounts.change(caller.accountId(), caller.sessionId(), change);
        if (changed.undo() != null) {
            if (changed.undo().token() != null) {
                mails.emailChanged(changed.undo().oldEmail(), changed.account().email, changed.undo().token());
            }
            mails.verification(changed.account().email, changed.verificationToken());
            authLog.record(AuthLog.Attempt.success(caller.accountId(), AuthAction.EMAIL_CHANGE,
                    caller.viaCookie() ? "cookie" : "bearer"));
        }
        return AccountView.of(changed.account());
    }

    /** Opens the link mailed to the old address after an email change: the change is undone, the account locked down. */
    @POST
    @Path("/email-change/undo")
    public Response undoEmailChange(@Valid @NotNull Requests.EmailLink request) {
        AccountService.Undone undone = accounts.undoEmailChange(request.token());
        throttle.clearAccount(undone.account().email);
        mails.passwordReset(undone.account().email, undone.resetToken());
        authLog.record(AuthLog.Attempt.success(undone.account().id, AuthAction.EMAIL_CHANGE_UNDO, "email-link"));
        return Response.noContent().build();
    }

    @POST
    @Path("/me/email-verification")
    @Consumes(MediaType.WILDCARD)
    @SignedInCaller
    public Response resendVerification() {
        SignedIn caller = signedIn.get();
        rateLimits.take(RateLimits.Action.VERIFICATION_MAIL, accounts.find(caller.accountId()).email);
        String token = accounts.newVerification(caller.accountId());
        if (token != null) {
            mails.verification(accounts.find(caller.accountId()).email, token);
        }
        return Response.accepted().build();
    }

    /** Opens an emailed verification link. */
    @POST
    @Path("/email-verification/confirm")
    public AccountView verifyEmail(@Valid @NotNull Requests.EmailLink request) {
        Account account = accounts.verifyEmail(request.token());
        authLog.record(AuthLog.Attempt.success(account.id, AuthAction.EMAIL_VERIFY, "email-link"));
        return AccountView.of(account);
    }

    /** Changes the password, given the current one or after a recent sign-in; every other session ends. */
    @POST
    @Path("/me/password")
    @SignedInCaller
    public Response changePassword(@Valid @NotNull Requests.PasswordChange request) {
        SignedIn caller = signedIn.get();
        int version = accounts.credentialVersion(caller.accountId());
        authentication.requireRecent(caller, request.currentPassword(), AuthAction.PASSWORD_CHANGE);
        String hash = accounts.hashNewPassword(request.newPassword(), accounts.find(caller.accountId()).email);
        accounts.changePassword(caller.accountId(), caller.sessionId(), hash, version);
        mails.passwordChanged(accounts.find(caller.accountId()).email);
        authLog.record(AuthLog.Attempt.success(caller.accountId(), AuthAction.PASSWORD_CHANGE,
                Authentication.PASSWORD));
        return Response.noContent().build();
    }

    /** Mails a reset link if an open account has this address; answers the same either way, limits included. */
    @POST
    @Path("/password-reset")
    public Response requestReset(@Valid @NotNull Requests.ResetRequest request) {
        String email = Fields.email(request.email());
        rateLimits.take(RateLimits.Action.PASSWORD_RESET, email);
        AccountService.ResetLink link = accounts.requestReset(email);
        if (link != null) {
            mails.passwordReset(link.email(), link.token());
        }
        return Response.accepted().build();
    }

    /**
     * Sets a new password from an emailed link; every session of the account and every other link end, and the
     * account's failed attempts are forgotten.
     */
    @POST
    @Path("/password-reset/confirm")
    public Response confirmReset(@Valid @NotNull Requests.ResetConfirm request) {
        accounts.requireUsableResetLink(request.token());
        String hash = accounts.hashNewPassword(request.newPassword(), null);
        Account account = accounts.resetPassword(request.token(), hash);
        throttle.clearAccount(account.email);
        authLog.record(AuthLog.Attempt.success(account.id, AuthAction.PASSWORD_RESET, "email-link"));
        return Response.noContent().build();
    }

    /** Closes the account, given the password or after a recent sign-in; every product deactivates its user. */
    @DELETE
    @Path("/me")
    @SignedInCaller
    public Response close(@Valid @NotNull Requests.Closure request) {
        SignedIn caller = signedIn.get();
        authentication.requireRecent(caller, request.password(), AuthAction.ACCOUNT_CLOSE);
        accounts.close(caller.accountId(), AccountClosed.Reason.REQUESTED);
        authLog.record(AuthLog.Attempt.success(caller.accountId(), AuthAction.ACCOUNT_CLOSE,
                Authentication.PASSWORD));
        return cookies.clear(Response.noContent()).build();
    }
}
