package dev.usersync.accounts.session.service;

import dev.usersync.accounts.account.model.Account;
import dev.usersync.accounts.account.model.Credential;
import dev.usersync.accounts.authlog.service.AuthAction;
import dev.usersync.accounts.authlog.service.AuthLog;
import dev.usersync.accounts.password.PasswordHasher;
import dev.usersync.accounts.throttle.KnownDevices;
import dev.usersync.accounts.throttle.Throttle;
import dev.usersync.web.Problem;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Checks passwords: at login, and again before a sensitive change. Unknown emails and wrong passwords answer the same,
 * after the same Argon2 work; every attempt is reserved on its brute-force counters before the password is checked
 * ({@link Throttle}). Argon2 runs outside any transaction, so no database connection waits on it.
 */
@ApplicationScoped
public class Authentication {

    public static final String PASSWORD = "password";

    /** Looked up in place of an unknown email's account, so that both cost the same queries before the hash. */
    private static final UUID NOBODY = new UUID(0, 0);

    private final PasswordHasher hasher;
    private final Throttle throttle;
    private final AuthLog authLog;
    private final Sessions sessions;
    private final KnownDevices devices;

    public Authentication(PasswordHasher hasher, Throttle throttle, AuthLog authLog, Sessions sessions,
            KnownDevices devices) {
        this.hasher = hasher;
        this.throttle = throttle;
        this.authLog = authLog;
        this.sessions = sessions;
        this.devices = devices;
    }

    /**
     * Opens a web session for the email and password, or answers 401 (or 429 while backing off). A session opens only
     * under the credentials the password was checked against: a password change or reset that lands while the hash is
     * computed makes this login fail like a wrong password.
     */
    public Sessions.WebSession login(String email, String password, String product) {
        AuthLog.Attempt attempt = AuthLog.Attempt.success(null, AuthAction.LOGIN, PASSWORD).product(product);
        Optional<Account> account = QuarkusTransaction.requiringNew().call(() -> Account.findOpenByEmail(email));
        UUID accountId = account.map(a -> a.id).orElse(null);
        List<Throttle.Key> keys = reserve(email, accountId, attempt);
        Checked checked = verify(accountId, password, keys, attempt);

        Sessions.WebSession web = QuarkusTransaction.requiringNew().call(() -> {
            Account locked = Account.lock(accountId).filter(Account::isOpen).orElse(null);
            Credential credential = locked == null ? null : Credential.lock(accountId);
            if (credential == null || credential.version != checked.version()) {
                return null;
            }
            if (checked.rehash() != null) {
                credential.algorithm = PasswordHasher.ARGON2ID;
                credential.hash = checked.rehash();
            }
            return sessions.openWeb(locked);
        });
        if (web == null) {
            authLog.record(new AuthLog.Attempt(accountId, AuthAction.LOGIN, AuthLog.FAILURE, PASSWORD, product, null,
                    "credentials-changed"));
            throw wrongCredentials();
        }
        authLog.record(new AuthLog.Attempt(accountId, AuthAction.LOGIN, AuthLog.SUCCESS, PASSWORD, product, null,
                checked.rehash() == null ? null : "rehashed"));
        return web.withDevice(devices.remember(accountId));
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
        AuthLog.Attempt attempt = AuthLog.Attempt.success(accountId, action, PASSWORD);
        List<Throttle.Key> keys = reserve(email, accountId, attempt);
        try {
            verify(accountId, password, keys, attempt);
        } catch (Problem wrong) {
            throw wrong.status() == 401 ? Problem.forbidden("the current password is not right") : wrong;
        }
        sessions.reauthenticated(caller);
    }

    /** A password that matched: the credential version it matched under, and a new hash if it should be upgraded. */
    private record Checked(int version, String rehash) {
    }

    /**
     * Verifies the password of {@code accountId} (or spends the same time when it is null); records and counts a
     * failure. A right password of an account whose reset support forced answers 403: only after the password is
     * right, so it tells nothing to whoever does not know it.
     */
    private Checked verify(UUID accountId, String password, List<Throttle.Key> keys, AuthLog.Attempt attempt) {
        Credential credential = QuarkusTransaction.requiringNew().call(() -> Credential.<Credential>findById(
                accountId == null ? NOBODY : accountId));
        boolean matches;
        if (credential == null) {
            hasher.verifyDecoy(password);
            matches = false;
        } else {
            matches = hasher.verify(credential.algorithm, credential.hash, password);
        }
        if (!matches) {
            authLog.record(new AuthLog.Attempt(accountId, attempt.action(), AuthLog.FAILURE, attempt.method(),
                    attempt.product(), attempt.clientId(), accountId == null ? "unknown-email" : "wrong-password"));
            throw wrongCredentials();
        }
        throttle.succeeded(keys);
        if (credential.resetRequired) {
            authLog.record(new AuthLog.Attempt(accountId, attempt.action(), AuthLog.FAILURE, attempt.method(),
                    attempt.product(), attempt.clientId(), "reset-required"));
            throw new Problem(403, "password-reset-required", "New password needed", "this password must be "
                    + "replaced: use the reset link mailed to you, or ask for a new one");
        }
        return new Checked(credential.version,
                hasher.needsRehash(credential.algorithm, credential.hash) ? hasher.hash(password) : null);
    }

    private static Problem wrongCredentials() {
        return Problem.unauthorized("the email or password is not right");
    }

    /** Reserves the attempt on the counters of this email from this client, or records it as blocked and throws 429. */
    private List<Throttle.Key> reserve(String email, UUID accountId, AuthLog.Attempt attempt) {
        String device = devices.current();
        List<Throttle.Key> keys = throttle.keys(email, device, devices.known(accountId, device));
        try {
            throttle.reserve(keys);
        } catch (Problem blocked) {
            authLog.record(attempt.blocked());
            throw blocked;
        }
        return keys;
    }
}
