package dev.usersync.accounts.session.service;

import dev.usersync.accounts.account.model.Account;
import dev.usersync.accounts.config.AccountsConfig;
import dev.usersync.accounts.outbox.EventRecorder;
import dev.usersync.accounts.session.model.RefreshToken;
import dev.usersync.accounts.session.model.Session;
import dev.usersync.accounts.token.service.KeyEncryption;
import dev.usersync.accounts.token.service.Tokens;
import dev.usersync.events.SessionRevoked;
import dev.usersync.web.ApiKeys;
import dev.usersync.web.Problem;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Sessions: made at login, named by every token's {@code sid}, ended by logout, password change or reset, closure or
 * refresh-token reuse. Ending sessions writes a {@code SessionRevoked} event, so every product stops accepting their
 * tokens as soon as it applies the event.
 */
@ApplicationScoped
public class Sessions {

    public static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final Tokens tokens;
    private final EventRecorder recorder;
    private final AccountsConfig config;
    private final KeyEncryption encryption;

    public Sessions(Tokens tokens, EventRecorder recorder, AccountsConfig config, KeyEncryption encryption) {
        this.tokens = tokens;
        this.recorder = recorder;
        this.config = config;
        this.encryption = encryption;
    }

    /** A new browser session, the token its cookie carries, and a device cookie to set if the browser had none. */
    public record WebSession(Session session, Tokens.Issued token, String csrfToken, String newDevice) {

        public WebSession withDevice(String device) {
            return new WebSession(session, token, csrfToken, device);
        }
    }

    /** A new session; {@code authTime}: when its owner proved their password for it. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Session open(Account account, String kind, String clientId, Instant authTime, Instant expiresAt) {
        Session session = new Session();
        session.id = UUID.randomUUID();
        session.accountId = account.id;
        session.kind = kind;
        session.clientId = clientId;
        session.createdAt = Instant.now();
        session.authTime = authTime;
        session.expiresAt = expiresAt;
        session.persist();
        return session;
    }

    /** A browser session after its owner proved their password (a login, a sign-up), with its cookie's token. */
    @Transactional(Transactional.TxType.MANDATORY)
    public WebSession openWeb(Account account) {
        Instant now = Instant.now();
        Session session = open(account, Session.WEB, null, now, now.plus(config.tokens().webSession()));
        Tokens.Issued token = tokens.issue(Tokens.Kind.SESSION, account.id, session.id, webAudience(), null, null,
                session.authTime, config.tokens().webSession());
        return new WebSession(session, token, csrfToken(session.id), null);
    }

    /**
     * A browser session's audience: this service's API and every product, as its cookie goes to all of them. Whether
     * the account may use a product is not the token's to say: each product learns it from the log, so access granted
     * or revoked during the session counts at once.
     */
    private List<String> webAudience() {
        List<String> audience = new ArrayList<>(List.of(Tokens.ACCOUNTS));
        audience.addAll(config.products());
        return audience;
    }

    /**
     * The caller of a {@code SignedInCaller} endpoint (its filter passes the request's {@code Authorization} header,
     * cookies, CSRF header and own method), from a bearer token or the session cookie; 401 without a valid token of a
     * live session. A write
     * authenticated by the cookie must also carry the session's CSRF token in {@value #CSRF_HEADER} (403 otherwise):
     * another site can make the browser send the cookie, but cannot read the CSRF cookie to copy it.
     */
    public SignedIn authenticate(String authorization, Map<String, Cookie> cookies, String csrf, String method) {
        Cookie cookie = cookies.get(config.cookie().name());
        boolean viaCookie;
        String token;
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw Problem.unauthorized("use a Bearer token or the session cookie");
            }
            token = authorization.substring(7).trim();
            viaCookie = false;
        } else if (cookie != null) {
            token = cookie.getValue();
            viaCookie = true;
        } else {
            throw Problem.unauthorized("sign in first");
        }
        return authenticated(tokens.verify(token), viaCookie, csrf, method);
    }

    /**
     * The caller of a browser-only endpoint (approving an app's authorization): only the session cookie's own kind of
     * token counts. A Bearer token, whatever it is, cannot mint a new session for an app. The caller checks its own
     * CSRF proof (the approval form's token): this treats the request as a read.
     */
    public SignedIn authenticateBrowser(HttpHeaders headers) {
        Cookie cookie = headers.getCookies().get(config.cookie().name());
        if (cookie == null) {
            throw Problem.unauthorized("sign in in this browser first");
        }
        Tokens.Verified verified = tokens.verify(cookie.getValue());
        if (verified.kind() != Tokens.Kind.SESSION) {
            throw Problem.unauthorized("only a browser session's cookie authorizes an app");
        }
        return authenticated(verified, true, headers.getHeaderString(CSRF_HEADER), "GET");
    }

    /**
     * The caller of an app's endpoint (userinfo): an OAuth access token of a live session, whatever its audience, with
     * the token's claims; a 401 problem otherwise.
     */
    public Tokens.Verified authenticateApp(String accessToken) {
        Tokens.Verified verified = tokens.verify(accessToken);
        if (verified.kind() != Tokens.Kind.ACCESS) {
            throw Problem.unauthorized("only an app's access token is accepted here");
        }
        live(verified);
        return verified;
    }

    private SignedIn authenticated(Tokens.Verified verified, boolean viaCookie, String csrf, String method) {
        if (!verified.audience().contains(Tokens.ACCOUNTS)) {
            throw Problem.unauthorized("this token is not for the accounts API");
        }
        Instant authTime = live(verified);
        if (viaCookie && !SAFE_METHODS.contains(method)
                && !ApiKeys.equal(csrfToken(verified.sessionId()), csrf)) {
            throw Problem.forbidden("a write authenticated by the session cookie needs the " + CSRF_HEADER
                    + " header with the value of the " + config.cookie().csrfName() + " cookie");
        }
        return new SignedIn(verified.accountId(), verified.sessionId(), viaCookie, authTime,
                viaCookie && verified.kind() == Tokens.Kind.SESSION);
    }

    /** The {@code auth_time} of the token's session, if it is live and its account open; 401 otherwise. */
    private Instant live(Tokens.Verified verified) {
        Instant authTime = QuarkusTransaction.requiringNew().call(() -> {
            Session session = Session.findById(verified.sessionId());
            Account account = session == null ? null : Account.findById(session.accountId);
            return session != null && session.accountId.equals(verified.accountId()) && session.isLive(Instant.now())
                    && account != null && account.isOpen() ? session.authTime : null;
        });
        if (authTime == null) {
            throw Problem.unauthorized("the session has ended");
        }
        return authTime;
    }

    /**
     * Whether the caller proved their password recently enough for a sensitive change without typing it again: only a
     * browser, through its own session cookie. An app's access token inherits its approval's {@code auth_time}, and a
     * session token replayed as a bearer token may come from any product that saw the cookie: both need the password.
     */
    public boolean recentlyAuthenticated(SignedIn caller) {
        return caller.browser() && caller.authTime().plus(config.recentAuthentication()).isAfter(Instant.now());
    }

    /** The caller just proved their password again: their session's {@code auth_time} moves to now. */
    public void reauthenticated(SignedIn caller) {
        QuarkusTransaction.requiringNew().run(() -> Session.update("authTime = ?1 where id = ?2", Instant.now(),
                caller.sessionId()));
    }

    /**
     * Ends {@code sessions} of the locked {@code account}, with their refresh tokens, and records one SessionRevoked
     * event naming them. Nothing is recorded when none was open.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void revoke(Account account, List<Session> sessions, SessionRevoked.Reason reason) {
        Instant now = Instant.now();
        List<Session> open = sessions.stream().filter(s -> s.revokedAt == null).toList();
        if (open.isEmpty()) {
            return;
        }
        for (Session session : open) {
            session.revokedAt = now;
            session.revokedReason = reason.name();
            RefreshToken.update("revokedAt = ?1 where sessionId = ?2 and revokedAt is null", now, session.id);
        }
        recorder.record(account, state -> SessionRevoked.of(state, open.stream().map(s -> s.id).toList(), reason));
    }

    /** The CSRF token of a session: an HMAC of its id, so it needs no storage and is the same on every replica. */
    public String csrfToken(UUID sessionId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(encryption.derive("csrf:" + sessionId));
    }
}
