package dev.usersync.accounts.oauth.service;

import dev.usersync.accounts.account.model.Account;
import dev.usersync.accounts.account.model.Credential;
import dev.usersync.accounts.authlog.service.AuthAction;
import dev.usersync.accounts.config.AccountsConfig;
import dev.usersync.accounts.oauth.model.AuthorizationCode;
import dev.usersync.accounts.oauth.model.ClientGrant;
import dev.usersync.accounts.secret.Secrets;
import dev.usersync.accounts.session.model.RefreshToken;
import dev.usersync.accounts.session.model.Session;
import dev.usersync.accounts.session.service.Sessions;
import dev.usersync.accounts.session.service.SignedIn;
import dev.usersync.accounts.token.service.Tokens;
import dev.usersync.events.SessionRevoked;
import dev.usersync.web.Problem;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * OAuth 2 for native apps (RFC 8252) and OpenID Connect's code flow: the authorization code grant with PKCE, S256 only,
 * exact redirect URIs, a confirmation before codes go to an app, ID tokens when {@code openid} is asked for, and
 * refresh tokens that rotate on every use. A refresh token presented after it was rotated means it was copied: the
 * whole family and its session are revoked, and every product learns it from the SessionRevoked event.
 */
@ApplicationScoped
public class OAuthService {

    /** The scopes this provider knows; others asked for are left out of the grant (RFC 6749 section 3.3). */
    public static final List<String> SCOPES = List.of("openid", "profile", "email");
    public static final String OPENID = "openid";

    private static final Pattern PKCE_VALUE = Pattern.compile("^[A-Za-z0-9._~-]{43,128}$");

    private final AccountsConfig config;
    private final Sessions sessions;
    private final Tokens tokens;

    public OAuthService(AccountsConfig config, Sessions sessions, Tokens tokens) {
        this.config = config;
        this.sessions = sessions;
        this.tokens = tokens;
    }

    /** An error of the token endpoint (RFC 6749 section 5.2). */
    public static OAuthError error(int status, String error, String description) {
        return new OAuthError(status, error, description);
    }

    public boolean knows(String clientId) {
        return clientId != null && config.clients().containsKey(clientId);
    }

    /** The registered client, if the redirect URI is one of its own, exactly; otherwise 400, never redirected. */
    public AccountsConfig.OAuthClient checkClient(String clientId, String redirectUri) {
        AccountsConfig.OAuthClient client = knows(clientId) ? config.clients().get(clientId) : null;
        if (client == null) {
            throw Problem.badRequest("unknown-client", "client_id is not a registered app").with("error",
                    "invalid_client");
        }
        if (redirectUri == null || !client.redirectUris().contains(redirectUri)) {
            throw Problem.badRequest("unregistered-redirect-uri", "redirect_uri is not registered for this app")
                    .with("error", "invalid_request");
        }
        return client;
    }

    /** The scope granted for a requested one: the known scopes among those asked for, in a stable order. */
    public static String grantedScope(String requested) {
        Set<String> asked = requested == null ? Set.of() : new LinkedHashSet<>(Arrays.asList(requested.split(" ")));
        return String.join(" ", SCOPES.stream().filter(asked::contains).toList());
    }

    /**
     * Whether approving {@code clientId} now needs the password: the first approval of an app does, unless the
     * session's sign-in is recent. (An app may also ask for it with {@code prompt=login} or {@code max_age}.)
     */
    public boolean firstApproval(SignedIn caller, String clientId) {
        return QuarkusTransaction.requiringNew().call(() -> ClientGrant.of(caller.accountId(), clientId)) == null;
    }

    /**
     * Whether a code may go to the app without the person confirming it on a page: only to an app approved before
     * for at least this scope, at an https redirect URI. A custom scheme or loopback redirect URI can be claimed by
     * any app on the device, so every such request is confirmed (RFC 8252 section 8.6).
     */
    public boolean approvedBefore(SignedIn caller, String clientId, String redirectUri, String scope) {
        if (!"https".equalsIgnoreCase(URI.create(redirectUri).getScheme())) {
            return false;
        }
        ClientGrant grant = QuarkusTransaction.requiringNew().call(() -> ClientGrant.of(caller.accountId(), clientId));
        return grant != null && Arrays.asList(grant.scope.split(" ")).containsAll(
                scope.isEmpty() ? List.of() : Arrays.asList(scope.split(" ")));
    }

    /** What an approved request becomes: its code, bound to the approving session and the credentials of now. */
    public record Approval(String clientId, String redirectUri, String codeChallenge, String scope, String nonce) {
    }

    /** Remembers the approval and issues an authorization code for it. */
    public String authorize(SignedIn caller, Approval approval) {
        String code = Secrets.newToken();
        QuarkusTransaction.requiringNew().run(() -> {
            Instant now = Instant.now();
            ClientGrant.remember(caller.accountId(), approval.clientId(), approval.scope(), now);
            AuthorizationCode row = new AuthorizationCode();
            row.codeHash = Secrets.sha256Hex(code);
            row.clientId = approval.clientId();
            row.redirectUri = approval.redirectUri();
            row.codeChallenge = approval.codeChallenge();
            row.scope = approval.scope();
            row.nonce = approval.nonce();
            row.accountId = caller.accountId();
            row.sessionId = caller.sessionId();
            row.credentialVersion = Credential.<Credential>findById(caller.accountId()).version;
            row.expiresAt = now.plus(config.tokens().authorizationCode());
            row.persist();
        });
        return code;
    }

    public static boolean validPkceValue(String value) {
        return value != null && PKCE_VALUE.matcher(value).matches();
    }

    /** What the token endpoint answers; {@code idToken} when {@code openid} was granted. */
    public record Grant(UUID accountId, String accessToken, long expiresIn, String refreshToken, String scope,
            String idToken) {
    }

    /**
     * Exchanges a code (once) for tokens, if the verifier hashes to the code's challenge. A code presented again has
     * leaked: it is refused and the session it was exchanged for ends.
     */
    public Grant exchangeCode(String clientId, String code, String redirectUri, String verifier) {
        if (code == null || redirectUri == null || !validPkceValue(verifier)) {
            throw error(400, "invalid_request", "code, redirect_uri and a code_verifier of 43 to 128 characters are "
                    + "required");
        }
        Outcome outcome = QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now();
            AuthorizationCode row = AuthorizationCode.lock(Secrets.sha256Hex(code))
                    .filter(c -> c.clientId.equals(clientId))
                    .orElseThrow(OAuthService::unknownCode);
            if (row.usedAt != null) {
                Session made = row.issuedSessionId == null ? null : Session.findById(row.issuedSessionId);
                if (made == null) {
                    throw unknownCode();
                }
                Account account = Account.lock(made.accountId).orElseThrow();
                sessions.revoke(account, List.of(made), SessionRevoked.Reason.ADMINISTRATIVE);
                return new Replayed(account.id, AuthAction.CODE_REUSE);
            }
            if (!row.expiresAt.isAfter(now) || !row.redirectUri.equals(redirectUri)) {
                throw unknownCode();
            }
            if (!MessageDigest.isEqual(row.codeChallenge.getBytes(), challengeOf(verifier).getBytes())) {
                throw error(400, "invalid_grant", "the code_verifier does not match the code_challenge");
            }
            row.usedAt = now;
            Account account = Account.lock(row.accountId).filter(Account::isOpen)
                    .orElseThrow(() -> error(400, "invalid_grant", "the account is closed"));
            Session approving = row.sessionId == null ? null : Session.findById(row.sessionId);
            if (approving == null || !approving.isLive(now)) {
                throw error(400, "invalid_grant", "the browser session that approved the code has ended");
            }
            if (row.credentialVersion == null
                    || row.credentialVersion != Credential.<Credential>findById(account.id).version) {
                throw error(400, "invalid_grant", "the account's credentials changed since the code was approved");
            }
            Session session = sessions.open(account, Session.OAUTH, clientId, approving.authTime,
                    now.plus(config.tokens().refreshToken()));
            session.scope = row.scope;
            row.issuedSessionId = session.id;
            return new Granted(grant(account, session, UUID.randomUUID(), row.nonce, now));
        });
        return outcome.grantOrThrow();
    }

    private static OAuthError unknownCode() {
        return error(400, "invalid_grant", "the code is unknown, used, expired, or was issued to another client or "
                + "redirect_uri");
    }

    /** A code or rotated refresh token was presented again; what it gave is revoked by now. */
    public static final class Replay extends OAuthError {

        private final UUID accountId;
        private final AuthAction action;

        Replay(UUID accountId, AuthAction action) {
            super(400, "invalid_grant", action == AuthAction.CODE_REUSE
                    ? "this code was already used; the session it gave is revoked"
                    : "this refresh token was already used; every token of its family and its session are revoked");
            this.accountId = accountId;
            this.action = action;
        }

        public UUID accountId() {
            return accountId;
        }

        /** What the auth log records: a code or a refresh token presented again. */
        public AuthAction action() {
            return action;
        }
    }

    /**
     * What presenting a code or refresh token came to: new tokens, or the finding that it was replayed (thrown after
     * the revocation committed).
     */
    private sealed interface Outcome permits Granted, Replayed {
        Grant grantOrThrow();
    }

    private record Granted(Grant grant) implements Outcome {
        public Grant grantOrThrow() {
            return grant;
        }
    }

    private record Replayed(UUID accountId, AuthAction action) implements Outcome {
        public Grant grantOrThrow() {
            throw new Replay(accountId, action);
        }
    }

    /**
     * Rotates a refresh token; a rotated one presented again revokes its family and session (and says so). The account
     * is locked before the token, in the order every other change of the account takes them.
     */
    public Grant refresh(String clientId, String refreshToken) {
        if (refreshToken == null) {
            throw error(400, "invalid_request", "refresh_token is required");
        }
        String hash = Secrets.sha256Hex(refreshToken);
        Outcome outcome = QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now();
            Account account = ownerOf(hash).flatMap(Account::lock)
                    .orElseThrow(() -> error(400, "invalid_grant", "unknown refresh token"));
            RefreshToken token = RefreshToken.lock(hash).filter(t -> t.clientId.equals(clientId))
                    .orElseThrow(() -> error(400, "invalid_grant", "unknown refresh token"));
            Session session = Session.findById(token.sessionId);
            if (token.rotatedAt != null) {
                RefreshToken.revokeFamily(token.familyId, now);
                sessions.revoke(account, List.of(session), SessionRevoked.Reason.REFRESH_TOKEN_REUSED);
                return new Replayed(account.id, AuthAction.REFRESH_TOKEN_REUSE);
            }
            if (token.revokedAt != null || !token.expiresAt.isAfter(now) || !session.isLive(now)) {
                throw error(400, "invalid_grant", "the refresh token has expired or was revoked");
            }
            if (!account.isOpen()) {
                throw error(400, "invalid_grant", "the account is closed");
            }
            token.rotatedAt = now;
            session.expiresAt = now.plus(config.tokens().refreshToken());
            return new Granted(grant(account, session, token.familyId, null, now));
        });
        return outcome.grantOrThrow();
    }

    /** Revokes the refresh token's family and session (RFC 7009: unknown tokens are not an error). */
    public UUID revoke(String clientId, String refreshToken) {
        if (refreshToken == null) {
            return null;
        }
        String hash = Secrets.sha256Hex(refreshToken);
        return QuarkusTransaction.requiringNew().call(() -> {
            Account account = ownerOf(hash).flatMap(Account::lock).orElse(null);
            RefreshToken token = account == null ? null
                    : RefreshToken.lock(hash).filter(t -> t.clientId.equals(clientId)).orElse(null);
            if (token == null) {
                return null;
            }
            RefreshToken.revokeFamily(token.familyId, Instant.now());
            sessions.revoke(account, List.of(Session.<Session>findById(token.sessionId)),
                    SessionRevoked.Reason.LOGOUT);
            return account.id;
        });
    }

    /** The account a refresh token belongs to, read without loading (or locking) the token. */
    private static java.util.Optional<UUID> ownerOf(String tokenHash) {
        return RefreshToken.getEntityManager().createQuery("select s.accountId from RefreshToken r, Session s "
                + "where r.tokenHash = ?1 and s.id = r.sessionId", UUID.class).setParameter(1, tokenHash)
                .getResultStream().findFirst();
    }

    /**
     * RP-initiated logout: ends the app's session the ID token names and, when that session was still live and the
     * browser's own session is of the same account, that one too (an old ID token cannot sign a browser out); every
     * product learns it from the SessionRevoked event. Returns whether the browser session ended (its cookies are then
     * cleared).
     */
    public boolean endSession(Tokens.IdTokenHint hint, UUID browserSession) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Account account = Account.lock(hint.accountId()).orElse(null);
            if (account == null) {
                return false;
            }
            List<Session> ending = new ArrayList<>();
            Instant now = Instant.now();
            Session app = Session.findById(hint.sessionId());
            boolean appLive = app != null && app.accountId.equals(account.id) && app.isLive(now);
            if (appLive) {
                ending.add(app);
                RefreshToken.update("revokedAt = ?1 where sessionId = ?2 and revokedAt is null", now, app.id);
            }
            Session browser = browserSession == null ? null : Session.findById(browserSession);
            boolean endsBrowser = appLive && browser != null && browser.accountId.equals(account.id);
            if (endsBrowser) {
                ending.add(browser);
            }
            sessions.revoke(account, ending, SessionRevoked.Reason.LOGOUT);
            return endsBrowser;
        });
    }

    private Grant grant(Account account, Session session, UUID familyId, String nonce, Instant now) {
        Duration lifetime = config.tokens().accessToken();
        if (session.expiresAt.isBefore(now.plus(lifetime))) {
            lifetime = Duration.between(now, session.expiresAt);
        }
        String scope = session.scope == null ? "" : session.scope;
        Tokens.Issued access = tokens.issue(Tokens.Kind.ACCESS, account.id, session.id,
                config.clients().get(session.clientId).audience(), session.clientId, scope, session.authTime,
                lifetime);
        String idToken = Arrays.asList(scope.split(" ")).contains(OPENID)
                ? tokens.idToken(account.id, session.id, session.clientId, nonce, access.token(), session.authTime,
                        lifetime)
                : null;
        String refresh = Secrets.newToken();
        RefreshToken row = new RefreshToken();
        row.tokenHash = Secrets.sha256Hex(refresh);
        row.familyId = familyId;
        row.sessionId = session.id;
        row.clientId = session.clientId;
        row.createdAt = now;
        row.expiresAt = now.plus(config.tokens().refreshToken());
        row.persist();
        return new Grant(account.id, access.token(), lifetime.toSeconds(), refresh, scope, idToken);
    }

    /** BASE64URL(SHA256(verifier)), RFC 7636 S256. */
    public static String challengeOf(String verifier) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Secrets.sha256(verifier));
    }
}
