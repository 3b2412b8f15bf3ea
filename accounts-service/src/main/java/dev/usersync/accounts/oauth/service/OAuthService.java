package dev.usersync.accounts.oauth.service;

import dev.usersync.accounts.account.model.Account;
import dev.usersync.accounts.config.AccountsConfig;
import dev.usersync.accounts.oauth.model.AuthorizationCode;
import dev.usersync.web.Problem;
import dev.usersync.accounts.secret.Secrets;
import dev.usersync.accounts.session.model.RefreshToken;
import dev.usersync.accounts.session.model.Session;
import dev.usersync.accounts.session.service.Sessions;
import dev.usersync.accounts.session.service.SignedIn;
import dev.usersync.accounts.token.service.Tokens;
import dev.usersync.events.SessionRevoked;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * OAuth 2 for native apps (RFC 8252): the authorization code grant with PKCE, S256 only, exact redirect URIs, and
 * refresh tokens that rotate on every use. A refresh token presented after it was rotated means it was copied: the
 * whole family and its session are revoked, and every product learns it from the SessionRevoked event.
 */
@ApplicationScoped
public class OAuthService {

    private static final Pattern PKCE_VALUE = Pattern.compile("^[A-Za-z0-9._~-]{43,128}$");

    private final AccountsConfig config;
    private final Sessions sessions;
    private final Tokens tokens;

    public OAuthService(AccountsConfig config, Sessions sessions, Tokens tokens) {
        this.config = config;
        this.sessions = sessions;
        this.tokens = tokens;
    }

    /** An OAuth error (RFC 6749 section 5.2) as problem details with the {@code error} member clients expect. */
    public static Problem error(int status, String error, String description) {
        return new Problem(status, "oauth-" + error.replace('_', '-'), "OAuth error", description)
                .with("error", error)
                .with("error_description", description);
    }

    public boolean knows(String clientId) {
        return config.clients().containsKey(clientId);
    }

    /** The registered client and redirect URI, exactly; a mismatch is answered here, never redirected. */
    public void checkClient(String clientId, String redirectUri) {
        AccountsConfig.OAuthClient client = clientId == null ? null : config.clients().get(clientId);
        if (client == null) {
            throw error(400, "invalid_client", "unknown client_id");
        }
        if (redirectUri == null || !client.redirectUris().contains(redirectUri)) {
            throw error(400, "invalid_request", "redirect_uri is not registered for this client");
        }
    }

    /** Issues an authorization code for the signed-in caller, bound to the client, redirect URI and challenge. */
    public String authorize(SignedIn caller, String clientId, String redirectUri, String codeChallenge) {
        String code = Secrets.newToken();
        QuarkusTransaction.requiringNew().run(() -> {
            AuthorizationCode row = new AuthorizationCode();
            row.codeHash = Secrets.sha256Hex(code);
            row.clientId = clientId;
            row.redirectUri = redirectUri;
            row.codeChallenge = codeChallenge;
            row.accountId = caller.accountId();
            row.sessionId = caller.sessionId();
            row.expiresAt = Instant.now().plus(config.tokens().authorizationCode());
            row.persist();
        });
        return code;
    }

    public static boolean validPkceValue(String value) {
        return value != null && PKCE_VALUE.matcher(value).matches();
    }

    /** What the token endpoint answers. */
    public record Grant(UUID accountId, String accessToken, long expiresIn, String refreshToken) {
    }

    /** Exchanges a code (once) for tokens, if the verifier hashes to the code's challenge. */
    public Grant exchangeCode(String clientId, String code, String redirectUri, String verifier) {
        if (code == null || redirectUri == null || !validPkceValue(verifier)) {
            throw error(400, "invalid_request", "code, redirect_uri and a code_verifier of 43 to 128 characters are "
                    + "required");
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now();
            AuthorizationCode row = AuthorizationCode.lock(Secrets.sha256Hex(code))
                    .filter(c -> c.usedAt == null && c.expiresAt.isAfter(now) && c.clientId.equals(clientId)
                            && c.redirectUri.equals(redirectUri))
                    .orElseThrow(() -> error(400, "invalid_grant", "the code is unknown, used, expired, or was "
                            + "issued to another client or redirect_uri"));
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
            Session session = sessions.open(account, Session.OAUTH, clientId, approving.authTime,
                    now.plus(config.tokens().refreshToken()));
            return grant(account, session, UUID.randomUUID(), now);
        });
    }

    /** A rotated refresh token was presented again; its family and session are revoked by now. */
    public static final class Replay extends Problem {

        private final UUID accountId;

        Replay(UUID accountId) {
            super(400, "oauth-invalid-grant", "OAuth error", "this refresh token was already used; every token of its "
                    + "family and its session are revoked");
            with("error", "invalid_grant").with("error_description", detail());
            this.accountId = accountId;
        }

        public UUID accountId() {
            return accountId;
        }
    }

    /** Result of presenting a refresh token: new tokens, or the finding that it was replayed. */
    private sealed interface Refresh permits Refreshed, Replayed {
    }

    private record Refreshed(Grant grant) implements Refresh {
    }

    private record Replayed(UUID accountId) implements Refresh {
    }

    /** Rotates a refresh token; a rotated one presented again revokes its family and session (and says so). */
    public Grant refresh(String clientId, String refreshToken) {
        if (refreshToken == null) {
            throw error(400, "invalid_request", "refresh_token is required");
        }
        Refresh outcome = QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now();
            RefreshToken token = RefreshToken.lock(Secrets.sha256Hex(refreshToken))
                    .filter(t -> t.clientId.equals(clientId))
                    .orElseThrow(() -> error(400, "invalid_grant", "unknown refresh token"));
            Session session = Session.findById(token.sessionId);
            if (token.rotatedAt != null) {
                Account account = Account.lock(session.accountId).orElseThrow();
                RefreshToken.revokeFamily(token.familyId, now);
                sessions.revoke(account, List.of(session), SessionRevoked.Reason.REFRESH_TOKEN_REUSED);
                return new Replayed(account.id);
            }
            if (token.revokedAt != null || !token.expiresAt.isAfter(now) || !session.isLive(now)) {
                throw error(400, "invalid_grant", "the refresh token has expired or was revoked");
            }
            Account account = Account.lock(session.accountId).filter(Account::isOpen)
                    .orElseThrow(() -> error(400, "invalid_grant", "the account is closed"));
            token.rotatedAt = now;
            session.expiresAt = now.plus(config.tokens().refreshToken());
            return new Refreshed(grant(account, session, token.familyId, now));
        });
        if (outcome instanceof Replayed replayed) {
            throw new Replay(replayed.accountId());
        }
        return ((Refreshed) outcome).grant();
    }

    /** Revokes the refresh token's family and session (RFC 7009: unknown tokens are not an error). */
    public UUID revoke(String clientId, String refreshToken) {
        if (refreshToken == null) {
            return null;
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            RefreshToken token = RefreshToken.lock(Secrets.sha256Hex(refreshToken))
                    .filter(t -> t.clientId.equals(clientId)).orElse(null);
            if (token == null) {
                return null;
            }
            Session session = Session.findById(token.sessionId);
            Account account = Account.lock(session.accountId).orElseThrow();
            RefreshToken.revokeFamily(token.familyId, Instant.now());
            sessions.revoke(account, List.of(session), SessionRevoked.Reason.LOGOUT);
            return account.id;
        });
    }

    private Grant grant(Account account, Session session, UUID familyId, Instant now) {
        Duration lifetime = config.tokens().accessToken();
        if (session.expiresAt.isBefore(now.plus(lifetime))) {
            lifetime = Duration.between(now, session.expiresAt);
        }
        Tokens.Issued access = tokens.issue(Tokens.Kind.ACCESS, account.id, session.id,
                config.clients().get(session.clientId).audience(), session.clientId, session.authTime, lifetime);
        String refresh = Secrets.newToken();
        RefreshToken row = new RefreshToken();
        row.tokenHash = Secrets.sha256Hex(refresh);
        row.familyId = familyId;
        row.sessionId = session.id;
        row.clientId = session.clientId;
        row.createdAt = now;
        row.expiresAt = now.plus(config.tokens().refreshToken());
        row.persist();
        return new Grant(account.id, access.token(), lifetime.toSeconds(), refresh);
    }

    /** BASE64URL(SHA256(verifier)), RFC 7636 S256. */
    public static String challengeOf(String verifier) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Secrets.sha256(verifier));
    }
}
