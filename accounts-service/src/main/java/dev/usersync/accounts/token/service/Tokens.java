package dev.usersync.accounts.token.service;

import dev.usersync.accounts.config.AccountsConfig;
import dev.usersync.accounts.token.model.SigningKey;
import dev.usersync.web.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.jose4j.jca.ProviderContext;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Issues and checks the service's JWTs: EdDSA (Ed25519) with a {@code kid}; a {@code typ} that says what the token is
 * ({@link Kind}); claims {@code iss}, {@code sub} (account id), {@code aud} (what the token is for: products, and
 * {@value #ACCOUNTS} for this service's API), {@code sid} (session id), {@code auth_time} (when the session's owner
 * last proved their password), {@code iat}, {@code exp}, {@code jti}, and {@code client_id} for OAuth access tokens. No
 * personal data. Verification accepts nothing but EdDSA under a published key and one of the two kinds.
 */
@ApplicationScoped
public class Tokens {

    /** The audience of this service's own API. */
    public static final String ACCOUNTS = "accounts";

    /** What a token is, by its {@code typ} header. */
    public enum Kind {
        /** A browser session's token, carried by the domain-wide cookie: for the accounts API and the products. */
        SESSION("session+jwt"),
        /** An OAuth access token (RFC 9068) of a native app, for the audience its client is registered with. */
        ACCESS("at+jwt");

        private final String typ;

        Kind(String typ) {
            this.typ = typ;
        }

        public String typ() {
            return typ;
        }

        static Kind of(String typ) {
            return Arrays.stream(values()).filter(kind -> kind.typ.equalsIgnoreCase(String.valueOf(typ))).findFirst()
                    .orElse(null);
        }
    }

    private static final ProviderContext BOUNCY_CASTLE = new ProviderContext();

    static {
        BOUNCY_CASTLE.getSuppliedKeyProviderContext().setSignatureProvider(SigningKeys.PROVIDER);
        BOUNCY_CASTLE.getGeneralProviderContext().setSignatureProvider(SigningKeys.PROVIDER);
    }

    private final SigningKeys keys;
    private final String issuer;
    private final JwtConsumer consumer;
    private final JwtConsumer hintConsumer;

    public Tokens(SigningKeys keys, AccountsConfig config) {
        this.keys = keys;
        this.issuer = config.issuer();
        this.consumer = consumer(config).setRequireExpirationTime().build();
        this.hintConsumer = consumer(config).setSkipDefaultAudienceValidation().setRequireExpirationTime()
                .setEvaluationTime(NumericDate.fromSeconds(0)).build();
    }

    private JwtConsumerBuilder consumer(AccountsConfig config) {
        return new JwtConsumerBuilder()
                .setExpectedIssuer(issuer)
                .setRequireSubject()
                .setRequireIssuedAt()
                .setRequireJwtId()
                .setSkipDefaultAudienceValidation()
                .setAllowedClockSkewInSeconds((int) config.tokens().clockSkew().toSeconds())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.EDDSA)
                .setJwsProviderContext(BOUNCY_CASTLE)
                .setVerificationKeyResolver((jws, context) -> {
                    SigningKeys.PublicKeyEntry key = jws.getKeyIdHeaderValue() == null ? null
                            : keys.ring(SigningKey.Purpose.TOKEN).published().get(jws.getKeyIdHeaderValue());
                    if (key == null) {
                        throw new UnresolvableKeyException("unknown kid " + jws.getKeyIdHeaderValue());
                    }
                    return key.key();
                });
    }

    /** A signed token and what it says. */
    public record Issued(String token, String jti, Instant expiresAt) {
    }

    /** What a verified token says. */
    public record Verified(Kind kind, UUID accountId, UUID sessionId, List<String> audience, String clientId,
            String scope, String jti, Instant expiresAt, Instant authTime) {

        /** Whether the token was granted this scope (an OAuth access token's space-separated {@code scope}). */
        public boolean hasScope(String wanted) {
            return scope != null && Arrays.asList(scope.split(" ")).contains(wanted);
        }
    }

    /**
     * A token of {@code kind} for {@code audience}; {@code clientId} and {@code scope} for an OAuth access token,
     * {@code null} otherwise.
     */
    public Issued issue(Kind kind, UUID accountId, UUID sessionId, List<String> audience, String clientId,
            String scope, Instant authTime, Duration lifetime) {
        SigningKeys.Ring ring = keys.ring(SigningKey.Purpose.TOKEN);
        Instant now = Instant.now();
        Instant expires = now.plus(lifetime);
        String jti = UUID.randomUUID().toString();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(accountId.toString());
        claims.setAudience(audience);
        claims.setClaim("sid", sessionId.toString());
        claims.setClaim("auth_time", authTime.getEpochSecond());
        if (clientId != null) {
            claims.setClaim("client_id", clientId);
        }
        if (scope != null) {
            claims.setClaim("scope", scope);
        }
        claims.setIssuedAt(NumericDate.fromMilliseconds(now.toEpochMilli()));
        claims.setExpirationTime(NumericDate.fromMilliseconds(expires.toEpochMilli()));
        claims.setJwtId(jti);
        return new Issued(sign(claims.toJson(), kind.typ(), ring), jti, Instant.ofEpochSecond(expires.getEpochSecond()));
    }

    /**
     * An OpenID Connect ID token for {@code clientId} (its only audience, {@code typ} JWT): when and in which session
     * the person signed in, the app's {@code nonce} if it sent one, and {@code at_hash} binding it to the access token
     * issued with it (SHA-512 for Ed25519, left half). No personal data: the app asks the userinfo endpoint for that.
     */
    public String idToken(UUID accountId, UUID sessionId, String clientId, String nonce, String accessToken,
            Instant authTime, Duration lifetime) {
        Instant now = Instant.now();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(accountId.toString());
        claims.setAudience(clientId);
        claims.setClaim("azp", clientId);
        claims.setClaim("sid", sessionId.toString());
        claims.setClaim("auth_time", authTime.getEpochSecond());
        if (nonce != null) {
            claims.setClaim("nonce", nonce);
        }
        byte[] digest = sha512(accessToken);
        claims.setClaim("at_hash", Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Arrays.copyOf(digest, digest.length / 2)));
        claims.setIssuedAt(NumericDate.fromSeconds(now.getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(now.plus(lifetime).getEpochSecond()));
        claims.setJwtId(UUID.randomUUID().toString());
        return sign(claims.toJson(), "JWT", keys.ring(SigningKey.Purpose.TOKEN));
    }

    /** What an ID token given back as a logout hint says: the account, the session and the app it was issued to. */
    public record IdTokenHint(UUID accountId, UUID sessionId, String clientId) {
    }

    /**
     * Reads an ID token this service issued, given back as {@code id_token_hint}: signature and issuer checked, expiry
     * not (an app may log out with an expired one, as RP-initiated logout allows). 400 for anything else.
     */
    public IdTokenHint readIdTokenHint(String token) {
        try {
            JwtContext context = hintConsumer.process(token);
            JwtClaims claims = context.getJwtClaims();
            if (!"JWT".equals(context.getJoseObjects().get(0).getHeader("typ")) || claims.getAudience().size() != 1
                    || !(claims.getClaimValue("sid") instanceof String sid)) {
                throw Problem.badRequest("invalid-id-token-hint", "id_token_hint is not an ID token of this service");
            }
            return new IdTokenHint(UUID.fromString(claims.getSubject()), UUID.fromString(sid),
                    claims.getAudience().get(0));
        } catch (InvalidJwtException | MalformedClaimException | IllegalArgumentException e) {
            throw Problem.badRequest("invalid-id-token-hint", "id_token_hint is not an ID token of this service");
        }
    }

    private static byte[] sha512(String value) {
        try {
            return MessageDigest.getInstance("SHA-512").digest(value.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs a JWT payload with the active token key. */
    private String sign(String payload, String typ, SigningKeys.Ring ring) {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(payload);
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.EDDSA);
        jws.setKeyIdHeaderValue(ring.activeKid());
        jws.setHeader("typ", typ);
        jws.setKey(ring.activeKey());
        jws.setProviderContext(BOUNCY_CASTLE);
        try {
            return jws.getCompactSerialization();
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    /** The claims of a valid token; a 401 problem saying why for anything else. */
    public Verified verify(String token) {
        try {
            JwtContext context = consumer.process(token);
            Kind kind = Kind.of(context.getJoseObjects().get(0).getHeader("typ"));
            JwtClaims claims = context.getJwtClaims();
            Object sid = claims.getClaimValue("sid");
            Object authTime = claims.getClaimValue("auth_time");
            if (kind == null || !(sid instanceof String) || !(authTime instanceof Number)
                    || !claims.hasAudience()) {
                throw Problem.unauthorized("the token is not one of this service's");
            }
            return new Verified(kind, UUID.fromString(claims.getSubject()), UUID.fromString((String) sid),
                    claims.getAudience(), claims.getClaimValueAsString("client_id"),
                    claims.getClaimValueAsString("scope"), claims.getJwtId(),
                    Instant.ofEpochSecond(claims.getExpirationTime().getValue()),
                    Instant.ofEpochSecond(((Number) authTime).longValue()));
        } catch (InvalidJwtException e) {
            throw Problem.unauthorized(e.hasExpired() ? "the token has expired"
                    : e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID) ? "the token's signature is not valid"
                    : "the token is not valid").with("reason", reason(e));
        } catch (MalformedClaimException | IllegalArgumentException e) {
            throw Problem.unauthorized("the token's claims are malformed");
        }
    }

    private static String reason(InvalidJwtException e) {
        if (e.hasExpired()) {
            return "expired";
        }
        if (e.hasErrorCode(ErrorCodes.SIGNATURE_INVALID)) {
            return "bad-signature";
        }
        if (e.getCause() instanceof UnresolvableKeyException) {
            return "unknown-key";
        }
        if (e.getCause() instanceof org.jose4j.lang.InvalidAlgorithmException) {
            return "algorithm-not-allowed";
        }
        return "invalid";
    }
}
