package dev.usersync.accounts.session.service;

import dev.usersync.accounts.account.model.Account;
import dev.usersync.accounts.account.model.Credential;
import dev.usersync.accounts.authlog.service.AuthAction;
import dev.usersync.accounts.authlog.service.AuthLog;
import dev.usersync.accounts.password.PasswordHasher;
import dev.usersync.web.Problem;
import dev.usersync.accounts.throttle.Throttle;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Checks passwords: at login, and again before a password change or closure. Unknown emails and wrong passwords
 * answer the same, after the same Argon2 work; repeated failures back off per email and per IP. Argon2 runs outside
 * any transaction, so no database connection waits on it.
 */
@ApplicationScoped
public class Authentication {

    public static final String PASSWORD = "password";

    private final PasswordHasher hasher;
    private final Throttle throttle;
    private final AuthLog authLog;
    private final Sessions sessions;

    public Authentication(PasswordHasher hasher, Throttle throttle, AuthLog authLog, Sessions sessions) {
        this.hasher = hasher;
        this.throttle = throttle;
        this.authLog = authLog;
        this.sessions = sessions;
    }

    /** Opens a web session for the email and password, or answers 401 (or 429 while backing off). */
    public Sessions.WebSession login(String email, String password, String product) {
        List<Throttle.Key> keys = throttle.keys(email);
        AuthLog.Attempt attempt = AuthLog.Attempt.success(null, AuthAction.LOGIN, PASSWORD).product(product);
        checkThrottle(keys, attempt);
        Optional<Account> account = QuarkusTransaction.requiringNew().call(() -> Account.findOpenByEmail(email));
        UUID accountId = account.map(a -> a.id).orElse(null);
        String rehash = verify(accountId, password, keys, attempt);

        Sessions.WebSession web = QuarkusTransaction.requiringNew().call(() -> {
            Account locked = Account.lock(accountId).orElseThrow();
            if (rehash != null) {
                Credential credential = Credential.findById(accountId);
                credential.algorithm = PasswordHasher.ARGON2ID;
                credential.hash = rehash;
                credential.updatedAt = Instant.now();
            }
            return sessions.openWeb(locked);
        });
        authLog.record(new AuthLog.Attempt(accountId, AuthAction.LOGIN, AuthLog.SUCCESS, PASSWORD, product, null,
                rehash == null ? null : "rehashed"));
        return web;
    }

    /**
     * A sensitive change (email or password, closure, approving an app for the first time) needs proof of the
     * password: the password itself, checked like a login (403 when wrong), or a login within
     * {@code accounts.recent-authentication} of this session. Neither: 403 {@code reauthentication-required}.
     */
    public void requireRecent(SignedIn caller, String password, AuthAction action) {
        if (password != null && !password.isEmpty()) {
            confirm(caller, password, action);
        } else if (!sessions.recentlyAuthenticated(caller)) {
            throw new Problem(403, "reauthentication-required", "Password needed", "this change needs your "
                    + "password; your last sign-in was too long ago").with("authTime", caller.authTime().toString());
        }
    }

    /**
     * Checks the signed-in person's password again (403 when wrong); a success moves the session's {@code auth_time}.
     */
    public void confirm(SignedIn caller, String password, AuthAction action) {
        UUID accountId = caller.accountId();
        String email = QuarkusTransaction.requiringNew().call(() -> Account.<Account>findById(accountId).email);
        List<Throttle.Key> keys = throttle.keys(email);
        AuthLog.Attempt attempt = AuthLog.Attempt.success(accountId, action, PASSWORD);
        checkThrottle(keys, attempt);
        try {
            verify(accountId, password, keys, attempt);
        } catch (Problem wrong) {
            throw Problem.forbidden("the current password is not right");
        }
        sessions.reauthenticated(caller);
    }

    /**
     * Verifies the password of {@code accountId} (or spends the same time when it is null); records and counts a
     * failure. Returns a new Argon2id hash when the stored one should be upgraded, else null.
     */
    private String verify(UUID accountId, String password, List<Throttle.Key> keys, AuthLog.Attempt attempt) {
        Credential credential = accountId == null ? null
                : QuarkusTransaction.requiringNew().call(() -> Credential.<Credential>findById(accountId));
        boolean matches;
        if (credential == null) {
            hasher.verifyDecoy(password);
            matches = false;
        } else {
            matches = hasher.verify(credential.algorithm, credential.hash, password);
        }
        if (!matches) {
            throttle.failure(keys);
            authLog.record(new AuthLog.Attempt(accountId, attempt.action(), AuthLog.FAILURE, attempt.method(),
                    attempt.product(), attempt.clientId(), accountId == null ? "unknown-email" : "wrong-password"));
            throw Problem.unauthorized("the email or password is not right");
        }
        throttle.success(keys.get(0));
        return hasher.needsRehash(credential.algorithm, credential.hash) ? hasher.hash(password) : null;
    }

    private void checkThrottle(List<Throttle.Key> keys, AuthLog.Attempt attempt) {
        try {
            throttle.check(keys);
        } catch (Problem blocked) {
            authLog.record(attempt.blocked());
            throw blocked;
        }
    }
}
