package dev.usersync.adapter.auth;

import dev.usersync.adapter.AdapterConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Security;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.jose4j.jca.ProviderContext;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.consumer.ErrorCodes;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.lang.UnresolvableKeyException;

/**
 * Verifies the accounts service's tokens locally: EdDSA only, a published key, the expected issuer, not expired, with a
 * subject, session and id, of one of the two kinds the service issues to products ({@code typ} {@value #SESSION} for a
 * browser session's cookie, {@value #ACCESS} for a native app's OAuth access token, RFC 9068) and naming this product
 * in {@code aud}: a token issued for another product, or for the accounts API alone, is refused. Bouncy Castle is named
 * as the signature provider (the JDK's Ed25519 is about ten times slower), without changing the provider order for
 * anything else in the JVM.
 */
@ApplicationScoped
public class TokenVerifier {

    /** The {@code typ} of a browser session's token. */
    public static final String SESSION = "session+jwt";
    /** The {@code typ} of an OAuth access token. */
    public static final String ACCESS = "at+jwt";

    private static final ProviderContext BOUNCY_CASTLE = new ProviderContext();

    static {
        if (Security.getProvider(BouncyCastleProvider.PROVIDER_NAME) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
        BOUNCY_CASTLE.getSuppliedKeyProviderContext().setSignatureProvider(BouncyCastleProvider.PROVIDER_NAME);
        BOUNCY_CASTLE.getGeneralProviderContext().setSignatureProvider(BouncyCastleProvider.PROVIDER_NAME);
    }

    private final JwtConsumer consumer;
    private final KeySet keys;
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();
    private final int maxCached;
    private final long skewMillis;

    /** A token that passed every check, the key it was signed with, and until when it would pass. */
    private record Verified(Caller caller, String kid, long expiresAtMillis) {
    }

    public TokenVerifier(AdapterConfig config, KeySet keys) {
        this.keys = keys;
        this.maxCached = config.auth().cacheSize();
        this.skewMillis = config.auth().clockSkew().toMillis();
        this.consumer = new JwtConsumerBuilder()
                .setExpectedIssuer(config.auth().issuer())
                .setRequireSubject()
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireJwtId()
                .setExpectedAudience(true, config.product())
                .setAllowedClockSkewInSeconds((int) config.auth().clockSkew().toSeconds())
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.EDDSA)
                .setJwsProviderContext(BOUNCY_CASTLE)
                .setVerificationKeyResolver((jws, nested) -> {
                    Key key = jws.getKeyIdHeaderValue() == null ? null : keys.key(jws.getKeyIdHeaderValue());
                    if (key == null) {
                        throw new UnresolvableKeyException("unknown kid");
                    }
                    return key;
                })
                .build();
    }

    /**
     * The caller a valid token names; {@link InvalidToken} with a reason for anything else. A token verified once is
     * remembered until it expires (by its SHA-256, not the token itself), so a browser's many requests with one cookie
     * pay for one signature check; while its key is still published (a key withdrawn from the key set ends its tokens
     * as it would without this memory).
     */
    public Caller verify(String token) {
        String digest = digest(token);
        Verified seen = verified.get(digest);
        if (seen != null) {
            if (System.currentTimeMillis() < seen.expiresAtMillis() && keys.key(seen.kid()) != null) {
                return seen.caller();
            }
            verified.remove(digest);
        }
        try {
            JwtContext context = consumer.process(token);
            String typ = context.getJoseObjects().get(0).getHeader("typ");
            if (!SESSION.equalsIgnoreCase(typ) && !ACCESS.equalsIgnoreCase(typ)) {
                throw new InvalidToken("the token is not a session or access token");
            }
            JwtClaims claims = context.getJwtClaims();
            Caller caller = new Caller(UUID.fromString(claims.getSubject()),
                    UUID.fromString(claims.getStringClaimValue("sid")), claims.getAudience(),
                    ACCESS.equalsIgnoreCase(typ) ? claims.getStringClaimValue("client_id") : null);
            if (verified.size() >= maxCached) {
                verified.clear();
            }
            verified.put(digest, new Verified(caller, context.getJoseObjects().get(0).getKeyIdHeaderValue(),
                    claims.getExpirationTime().getValueInMillis() + skewMillis));
            return caller;
        } catch (InvalidJwtException e) {
            throw new InvalidToken(e.hasExpired() ? "the token has expired"
                    : e.hasErrorCode(ErrorCodes.AUDIENCE_INVALID) || e.hasErrorCode(ErrorCodes.AUDIENCE_MISSING)
                    ? "the token is not for this product" : "the token is not valid");
        } catch (MalformedClaimException | IllegalArgumentException | NullPointerException e) {
            throw new InvalidToken("the token's claims are malformed");
        }
    }

    private static String digest(String token) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token that does not authenticate anyone. */
    public static final class InvalidToken extends RuntimeException {
        public InvalidToken(String message) {
            super(message, null, false, false);
        }
    }
}
