package dev.usersync.accounts.token.service;

import dev.usersync.accounts.config.AccountsConfig;
import dev.usersync.accounts.token.model.SigningKey;
import dev.usersync.web.Problem;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
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
import org.jose4j.lang.JoseException;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Issues and checks the service's JWTs: EdDSA (Ed25519) with a {@code kid}, claims {@code iss}, {@code sub} (account
 * id), {@code sid} (session id), {@code products}, {@code iat}, {@code exp}, {@code jti}, and {@code client_id} for
 * OAuth access tokens. No personal data. Verification accepts nothing but EdDSA under a published key.
 */
@ApplicationScoped
public class Tokens {

    private static final ProviderContext BOUNCY_CASTLE = new ProviderContext();

    static {
        BOUNCY_CASTLE.getSuppliedKeyProviderContext().setSignatureProvider(SigningKeys.PROVIDER);
        BOUNCY_CASTLE.getGeneralProviderContext().setSignatureProvider(SigningKeys.PROVIDER);
    }

    private final SigningKeys keys;
    private final String issuer;
    private final JwtConsumer consumer;

    public Tokens(SigningKeys keys, AccountsConfig config) {
        this.keys = keys;
        this.issuer = config.issuer();
        this.consumer = new JwtConsumerBuilder()
                .setExpectedIssuer(issuer)
                .setRequireSubject()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireJwtId()
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
                })
                .build();
    }

    /** A signed token and what it says. */
    public record Issued(String token, String jti, Instant expiresAt) {
    }

    /** What a verified token says. */
    public record Verified(UUID accountId, UUID sessionId, List<String> products, String clientId, String jti,
            Instant expiresAt) {
    }

    public Issued issue(UUID accountId, UUID sessionId, List<String> products, String clientId, Duration lifetime) {
        SigningKeys.Ring ring = keys.ring(SigningKey.Purpose.TOKEN);
        Instant now = Instant.now();
        Instant expires = now.plus(lifetime);
        String jti = UUID.randomUUID().toString();
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(issuer);
        claims.setSubject(accountId.toString());
        claims.setClaim("sid", sessionId.toString());
        claims.setStringListClaim("products", products);
        if (clientId != null) {
            claims.setClaim("client_id", clientId);
        }
        claims.setIssuedAt(NumericDate.fromMilliseconds(now.toEpochMilli()));
        claims.setExpirationTime(NumericDate.fromMilliseconds(expires.toEpochMilli()));
        claims.setJwtId(jti);

        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.EDDSA);
        jws.setKeyIdHeaderValue(ring.activeKid());
        jws.setHeader("typ", "JWT");
        jws.setKey(ring.activeKey());
        jws.setProviderContext(BOUNCY_CASTLE);
        try {
            return new Issued(jws.getCompactSerialization(), jti, Instant.ofEpochSecond(expires.getEpochSecond()));
        } catch (JoseException e) {
            throw new IllegalStateException("cannot sign a token", e);
        }
    }

    /** The claims of a valid token; a 401 problem saying why for anything else. */
    public Verified verify(String token) {
        try {
            JwtClaims claims = consumer.processToClaims(token);
            Object sid = claims.getClaimValue("sid");
            if (!(sid instanceof String)) {
                throw Problem.unauthorized("the token has no session");
            }
            return new Verified(UUID.fromString(claims.getSubject()), UUID.fromString((String) sid),
                    claims.getStringListClaimValue("products"), claims.getClaimValueAsString("client_id"),
                    claims.getJwtId(), Instant.ofEpochSecond(claims.getExpirationTime().getValue()));
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
