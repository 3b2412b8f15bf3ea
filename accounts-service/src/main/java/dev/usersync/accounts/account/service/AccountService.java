package dev.usersync.accounts.account.service;

import dev.usersync.accounts.account.model.Account;
import dev.usersync.accounts.account.model.Credential;
import dev.usersync.accounts.account.model.EmailToken;
import dev.usersync.accounts.config.AccountsConfig;
import dev.usersync.accounts.outbox.EventRecorder;
import dev.usersync.accounts.password.PasswordHasher;
import dev.usersync.accounts.password.PasswordPolicy;
import dev.usersync.accounts.secret.Secrets;
import dev.usersync.accounts.session.model.Session;
import dev.usersync.accounts.session.service.Sessions;
import dev.usersync.accounts.token.service.Tokens;
import dev.usersync.events.AccountClosed;
import dev.usersync.events.AccountCreated;
import dev.usersync.events.AccountStatus;
import dev.usersync.events.AccountUpdated;
import dev.usersync.events.EmailVerified;
import dev.usersync.events.EventSchemas;
import dev.usersync.events.ProductAccessGranted;
import dev.usersync.events.ProductAccessRevoked;
import dev.usersync.events.SessionRevoked;
import dev.usersync.events.SignUpContext;
import dev.usersync.events.Uuid7;
import dev.usersync.web.Problem;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Every change to an account. Each public method is one transaction that locks the account row, changes it, and
 * records the matching event in the outbox; a failure anywhere leaves neither the change nor the event.
 */
@ApplicationScoped
public class AccountService {

    private final EventRecorder recorder;
    private final Sessions sessions;
    private final PasswordHasher hasher;
    private final AccountsConfig config;

    public AccountService(EventRecorder recorder, Sessions sessions, PasswordHasher hasher, AccountsConfig config) {
        this.recorder = recorder;
        this.sessions = sessions;
        this.hasher = hasher;
        this.config = config;
    }

    /**
     * What sign-up needs; the password arrives already hashed so no transaction waits on Argon2. The invitation is the
     * product's reference as the person brought it; only its digest is kept and published.
     */
    public record SignUp(String email, String passwordHash, String name, String locale, String timeZone,
            String product, String invitation) {
    }

    public record SignedUp(Account account, Sessions.WebSession session, String verificationToken) {
    }

    @Transactional
    public SignedUp signUp(SignUp request) {
        if (Account.findOpenByEmail(request.email()).isPresent()) {
            throw emailTaken();
        }
        Instant now = Instant.now();
        Account account = new Account();
        account.id = Uuid7.next();
        account.email = request.email();
        account.name = request.name();
        account.locale = request.locale();
        account.timeZone = request.timeZone();
        account.products = new ArrayList<>(List.of(request.product()));
        account.legacyIds = new TreeMap<>();
        account.signupProduct = request.product();
        account.signupInvitation = request.invitation() == null ? null : SignUpContext.digest(request.invitation());
        account.createdAt = now;
        account.updatedAt = now;
        try {
            account.persist();
            Account.getEntityManager().flush();
        } catch (PersistenceException e) {
            throw emailTaken();
        }
        Credential.of(account.id, PasswordHasher.ARGON2ID, request.passwordHash()).persist();
        recorder.record(account, state -> AccountCreated.of(state, state.signUp()));
        String verification = newEmailToken(account, EmailToken.VERIFY_EMAIL, config.mail().verificationTtl());
        return new SignedUp(account, sessions.openWeb(account), verification);
    }

    /** Profile changes; {@code null} leaves a field as it is. */
    public record ProfileChange(String email, String name, String locale, String timeZone) {
    }

    /**
     * What a change did; {@code verificationToken} for a new address, and {@code undo} to tell the old one (with a
     * link that undoes the change).
     */
    public record Changed(Account account, List<String> fields, String verificationToken, EmailChange undo) {
    }

    /** The address an email change left, and the token of the link that restores it ({@code null}: never verified). */
    public record EmailChange(String oldEmail, String token) {
    }

    /**
     * Changes the profile. A new email address is a credential change: it must be verified again, the old address (if
     * it was verified) gets a link to undo it, every other session of the account ends, and links mailed before stop
     * working.
     */
    @Transactional
    public Changed change(UUID accountId, UUID currentSession, ProfileChange change) {
        Account account = lockOpen(accountId);
        List<String> changed = new ArrayList<>();
        String oldEmail = account.email;
        boolean oldVerified = account.emailVerified;
        boolean newAddress = change.email() != null && !change.email().equalsIgnoreCase(account.email);
        if (change.email() != null && !change.email().equals(account.email)) {
            if (newAddress && Account.findOpenByEmail(change.email()).isPresent()) {
                throw emailTaken();
            }
            account.email = change.email();
            changed.add("email");
            if (newAddress && account.emailVerified) {
                account.emailVerified = false;
                changed.add("emailVerified");
            }
        }
        if (change.name() != null && !change.name().equals(account.name)) {
            account.name = change.name();
            changed.add("name");
        }
        if (change.locale() != null && !change.locale().equals(account.locale)) {
            account.locale = change.locale();
            changed.add("locale");
        }
        if (change.timeZone() != null && !change.timeZone().equals(account.timeZone)) {
            account.timeZone = change.timeZone();
            changed.add("timeZone");
        }
        if (changed.isEmpty()) {
            return new Changed(account, changed, null, null);
        }
        if (changed.contains("email")) {
            try {
                // only an address can break a unique constraint: find out here, not at commit
                Account.getEntityManager().flush();
            } catch (PersistenceException e) {
                throw emailTaken();
            }
        }
        recorder.record(account, state -> AccountUpdated.of(state, changed));
        if (!newAddress) {
            return new Changed(account, changed, null, null);
        }
        Instant now = Instant.now();
        Credential.lock(accountId).changed();
        EmailToken.invalidate(accountId, List.of(EmailToken.VERIFY_EMAIL, EmailToken.RESET_PASSWORD), now);
        String undo = oldVerified ? newEmailToken(account, EmailToken.UNDO_EMAIL_CHANGE, oldEmail,
                config.mail().undoTtl()) : null;
        sessions.revoke(account, othersThan(accountId, currentSession), SessionRevoked.Reason.ADMINISTRATIVE);
        return new Changed(account, changed, newEmailToken(account, EmailToken.VERIFY_EMAIL,
                config.mail().verificationTtl()), new EmailChange(oldEmail, undo));
    }

    /** What undoing an email change did, and the reset link for the restored address. */
    public record Undone(Account account, String resetToken) {
    }

    /**
     * Undoes email changes from a link mailed to an old address: the earliest address still undoable comes back
     * (verified: it was when it was left), so a thief who moved the account twice and undoes their own second move
     * hands it back to the first owner. Every session ends, every other link dies, and the password must be set again
     * from the reset link mailed there, since whoever changed the address may know the old one.
     */
    @Transactional
    public Undone undoEmailChange(String token) {
        Instant now = Instant.now();
        EmailToken link = EmailToken.lockUsable(Secrets.sha256Hex(token), EmailToken.UNDO_EMAIL_CHANGE, now)
                .orElseThrow(AccountService::linkInvalid);
        Account account = Account.lock(link.accountId).filter(Account::isOpen).orElseThrow(AccountService::linkInvalid);
        String restored = EmailToken.earliestUsable(account.id, EmailToken.UNDO_EMAIL_CHANGE, now).email;
        link.usedAt = now;
        List<String> changed = new ArrayList<>();
        if (!account.email.equals(restored)) {
            if (!account.email.equalsIgnoreCase(restored) && Account.findOpenByEmail(restored).isPresent()) {
                throw emailTaken();
            }
            account.email = restored;
            changed.add("email");
        }
        if (!account.emailVerified) {
            account.emailVerified = true;
            changed.add("emailVerified");
        }
        if (!changed.isEmpty()) {
            try {
                Account.getEntityManager().flush();
            } catch (PersistenceException e) {
                throw emailTaken();
            }
            recorder.record(account, state -> AccountUpdated.of(state, changed));
        }
        Credential credential = Credential.lock(account.id);
        credential.resetRequired = true;
        credential.changed();
        EmailToken.invalidate(account.id, List.of(EmailToken.VERIFY_EMAIL, EmailToken.RESET_PASSWORD,
                EmailToken.UNDO_EMAIL_CHANGE), now);
        sessions.revoke(account, Session.openOf(account.id), SessionRevoked.Reason.ADMINISTRATIVE);
        return new Undone(account, newEmailToken(account, EmailToken.RESET_PASSWORD, config.mail().resetTtl()));
    }

    /** A new verification link for the current address; {@code null} when it is already verified. */
    @Transactional
    public String newVerification(UUID accountId) {
        Account account = lockOpen(accountId);
        return account.emailVerified ? null
                : newEmailToken(account, EmailToken.VERIFY_EMAIL, config.mail().verificationTtl());
    }

    @Transactional
    public Account verifyEmail(String token) {
        EmailToken link = EmailToken.lockUsable(Secrets.sha256Hex(token), EmailToken.VERIFY_EMAIL, Instant.now())
                .orElseThrow(AccountService::linkInvalid);
        Account account = Account.lock(link.accountId).filter(Account::isOpen).orElseThrow(AccountService::linkInvalid);
        if (!account.email.equalsIgnoreCase(link.email)) {
            throw linkInvalid();
        }
        link.usedAt = Instant.now();
        if (!account.emailVerified) {
            account.emailVerified = true;
            recorder.record(account, state -> EmailVerified.of(state, account.email));
        }
        return account;
    }

    /** The account's credential version now: a change that checked the password under it passes it back. */
    @Transactional
    public int credentialVersion(UUID accountId) {
        return Credential.<Credential>findById(accountId).version;
    }

    /**
     * Replaces the password (already hashed), if no other credential change came between (409 otherwise); ends every
     * other session of the account and every reset link mailed before.
     */
    @Transactional
    public void changePassword(UUID accountId, UUID currentSession, String newHash, int checkedVersion) {
        Account account = lockOpen(accountId);
        Credential credential = Credential.lock(accountId);
        if (credential.version != checkedVersion) {
            throw Problem.conflict("credentials-changed", "the password or email changed meanwhile; sign in again");
        }
        credential.replace(PasswordHasher.ARGON2ID, Objects.requireNonNull(newHash));
        EmailToken.invalidate(accountId, List.of(EmailToken.RESET_PASSWORD), Instant.now());
        sessions.revoke(account, othersThan(accountId, currentSession), SessionRevoked.Reason.PASSWORD_CHANGED);
    }

    private static List<Session> othersThan(UUID accountId, UUID currentSession) {
        return Session.openOf(accountId).stream().filter(s -> !s.id.equals(currentSession)).toList();
    }

    /** 409 if an open account has this address: asked before a password is hashed for it (sign-up checks again). */
    @Transactional
    public void requireEmailFree(String email) {
        if (Account.findOpenByEmail(email).isPresent()) {
            throw emailTaken();
        }
    }

    /** 400 if a reset link is not usable now: asked before the new password is hashed (the reset checks again). */
    @Transactional
    public void requireUsableResetLink(String token) {
        EmailToken.findUsable(Secrets.sha256Hex(token), EmailToken.RESET_PASSWORD, Instant.now())
                .orElseThrow(AccountService::linkInvalid);
    }

    /** A reset link for the open account with this address, or {@code null} when there is none. */
    public record ResetLink(String email, String token) {
    }

    /** A new reset link; the ones mailed before stop working. */
    @Transactional
    public ResetLink requestReset(String email) {
        return Account.findOpenByEmail(email).map(account -> {
            EmailToken.invalidate(account.id, List.of(EmailToken.RESET_PASSWORD), Instant.now());
            return new ResetLink(account.email, newEmailToken(account, EmailToken.RESET_PASSWORD,
                    config.mail().resetTtl()));
        }).orElse(null);
    }

    /**
     * Sets the password from a reset link, ends every session and every other mailed link, and counts the link as proof
     * of the address.
     */
    @Transactional
    public Account resetPassword(String token, String newHash) {
        EmailToken link = EmailToken.lockUsable(Secrets.sha256Hex(token), EmailToken.RESET_PASSWORD, Instant.now())
                .orElseThrow(AccountService::linkInvalid);
        Account account = Account.lock(link.accountId).filter(Account::isOpen).orElseThrow(AccountService::linkInvalid);
        if (!account.email.equalsIgnoreCase(link.email)) {
            throw linkInvalid();
        }
        link.usedAt = Instant.now();
        Credential.lock(account.id).replace(PasswordHasher.ARGON2ID, Objects.requireNonNull(newHash));
        EmailToken.invalidate(account.id, List.of(EmailToken.VERIFY_EMAIL, EmailToken.RESET_PASSWORD),
                link.usedAt);
        sessions.revoke(account, Session.openOf(account.id), SessionRevoked.Reason.PASSWORD_RESET);
        if (!account.emailVerified) {
            account.emailVerified = true;
            recorder.record(account, state -> EmailVerified.of(state, account.email));
        }
        return account;
    }

    /**
     * Support forces a password reset: the password stops signing in, every session and mailed link ends (but the
     * links that undo a recent email change: a first owner may still need them), and a reset link goes to the
     * account's address. Returns that link's token.
     */
    @Transactional
    public ResetLink forceReset(UUID accountId) {
        Account account = lockOpen(accountId);
        Credential credential = Credential.lock(accountId);
        credential.resetRequired = true;
        credential.changed();
        EmailToken.invalidate(accountId, List.of(EmailToken.VERIFY_EMAIL, EmailToken.RESET_PASSWORD), Instant.now());
        sessions.revoke(account, Session.openOf(accountId), SessionRevoked.Reason.ADMINISTRATIVE);
        return new ResetLink(account.email, newEmailToken(account, EmailToken.RESET_PASSWORD,
                config.mail().resetTtl()));
    }

    /** Support ends every session of the account; returns how many were open. */
    @Transactional
    public int endSessions(UUID accountId) {
        Account account = lockOpen(accountId);
        List<Session> open = Session.openOf(accountId);
        sessions.revoke(account, open, SessionRevoked.Reason.ADMINISTRATIVE);
        return open.size();
    }

    /**
     * Re-emits the account's current state to every product: an AccountUpdated naming every profile field, carrying
     * the whole state (products and status included) as every event does. A product that lost or refused an event
     * converges on it. Returns the event's sequence number.
     */
    @Transactional
    public long resync(UUID accountId) {
        Account account = Account.lock(accountId).orElseThrow(() -> Problem.notFound("no such account"));
        recorder.record(account, state -> AccountUpdated.of(state, RESYNCED_FIELDS));
        return account.lastSequence;
    }

    private static final List<String> RESYNCED_FIELDS = List.of("email", "emailVerified", "name", "locale",
            "timeZone");

    /** Closes the account and ends all its sessions. */
    @Transactional
    public void close(UUID accountId, AccountClosed.Reason reason) {
        Account account = lockOpen(accountId);
        account.status = AccountStatus.CLOSED;
        account.closedAt = Instant.now();
        recorder.record(account, state -> AccountClosed.of(state, reason));
        sessions.revoke(account, Session.openOf(accountId), SessionRevoked.Reason.ACCOUNT_CLOSED);
    }

    /** Gives the account a product; true if it did not have it. */
    @Transactional
    public boolean grant(UUID accountId, String product) {
        Account account = lockOpen(accountId);
        knownProduct(product);
        if (account.products.contains(product)) {
            return false;
        }
        List<String> products = new ArrayList<>(account.products);
        products.add(product);
        account.products = products.stream().sorted().toList();
        recorder.record(account, state -> ProductAccessGranted.of(state, product));
        return true;
    }

    /** Takes a product away; true if the account had it. */
    @Transactional
    public boolean revoke(UUID accountId, String product) {
        Account account = lockOpen(accountId);
        knownProduct(product);
        if (!account.products.contains(product)) {
            return false;
        }
        account.products = account.products.stream().filter(p -> !p.equals(product)).toList();
        recorder.record(account, state -> ProductAccessRevoked.of(state, product));
        return true;
    }

    @Transactional
    public Account find(UUID accountId) {
        return Account.<Account>findByIdOptional(accountId).filter(Account::isOpen)
                .orElseThrow(() -> Problem.notFound("no such account"));
    }

    /**
     * Refuses to start with a product name events cannot carry (every event of an account with it would be refused), or
     * a client whose audience names something that is not a product.
     */
    void checkProducts(@Observes StartupEvent start) {
        for (String product : config.products()) {
            if (!EventSchemas.validateValue("product", product).isEmpty()) {
                throw new IllegalStateException("accounts.products: '" + product + "' is not a product name events "
                        + "can carry (a lower-case letter, then lower-case letters, digits and hyphens)");
            }
        }
        config.clients().keySet().stream()
                .filter(client -> client.equals(Tokens.ACCOUNTS) || config.products().contains(client)).findFirst()
                .ifPresent(client -> {
                    throw new IllegalStateException("accounts.clients." + client + ": a client id must not be a "
                            + "product's name or " + Tokens.ACCOUNTS + " (its ID tokens' aud would name it)");
                });
        config.clients().forEach((client, registration) -> registration.audience().stream()
                .filter(audience -> !audience.equals(Tokens.ACCOUNTS) && !config.products().contains(audience))
                .findFirst().ifPresent(audience -> {
                    throw new IllegalStateException("accounts.clients." + client + ".audience: '" + audience
                            + "' is neither a product of accounts.products nor " + Tokens.ACCOUNTS);
                }));
    }

    public void knownProduct(String product) {
        if (!config.products().contains(product)) {
            throw Problem.badRequest("unknown-product", "'" + product + "' is not a product; known: "
                    + config.products());
        }
    }

    private static String newEmailToken(Account account, String purpose, Duration ttl) {
        return newEmailToken(account, purpose, account.email, ttl);
    }

    private static String newEmailToken(Account account, String purpose, String email, Duration ttl) {
        String token = Secrets.newToken();
        EmailToken link = new EmailToken();
        link.tokenHash = Secrets.sha256Hex(token);
        link.accountId = account.id;
        link.purpose = purpose;
        link.email = email;
        link.expiresAt = Instant.now().plus(ttl);
        link.persist();
        return token;
    }

    private static Account lockOpen(UUID accountId) {
        return Account.lock(accountId).filter(Account::isOpen)
                .orElseThrow(() -> Problem.notFound("no such account"));
    }

    private static Problem emailTaken() {
        return Problem.conflict("email-taken", "an account with this email address exists; sign in or reset the "
                + "password");
    }

    private static Problem linkInvalid() {
        return Problem.badRequest("link-invalid", "this link is not valid any more; ask for a new one");
    }

    /** Hashes outside transactions: Argon2 takes tens of milliseconds and must not hold a database connection. */
    public String hashNewPassword(String password, String email) {
        PasswordPolicy.check(password, email);
        return hasher.hash(password);
    }
}
