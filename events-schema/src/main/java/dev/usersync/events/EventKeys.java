package dev.usersync.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * The accounts service's event-signing public keys, by kid, and the check every consumer runs on an event before it
 * trusts it: its content hashes to its stated hash, and the hash is signed by a published key. A consumer's key set
 * may refetch an unknown kid; it throws {@link Unavailable} when it cannot tell whether the kid exists.
 */
@FunctionalInterface
public interface EventKeys {

    /** The key with this kid, or {@code null} when the accounts service does not publish it. */
    Ed25519PublicKeyParameters publicKey(String kid);

    /** Whether an event is what the accounts service wrote. */
    enum Authenticity {
        AUTHENTIC,
        /** The content does not hash to the stated hash, or no hash is stated. */
        CONTENT_CHANGED,
        /** No signature (events before schema version 2, or a forgery). */
        UNSIGNED,
        /** Signed with a key the accounts service does not publish. */
        UNKNOWN_KEY,
        /** The signature does not verify with the named key. */
        BAD_SIGNATURE
    }

    /** The outcome of {@link #check}, with a sentence for a person. */
    record Verdict(Authenticity authenticity, String detail) {
        public boolean authentic() {
            return authenticity == Authenticity.AUTHENTIC;
        }
    }

    /** Checks an event as it stands on the wire. */
    default Verdict check(JsonNode event) {
        String stated = event.path(EventHash.FIELD).textValue();
        if (stated == null || !stated.equals(EventHash.of(event))) {
            return new Verdict(Authenticity.CONTENT_CHANGED, "the event's content does not hash to its stated hash");
        }
        return checkSignature(event, stated);
    }

    /** Checks only the signature of an event whose content is known to hash to {@code hash}. */
    default Verdict checkSignature(JsonNode event, String hash) {
        JsonNode signature = event.path(EventSignature.FIELD);
        String kid = signature.path("kid").textValue();
        String value = signature.path("value").textValue();
        if (kid == null || value == null) {
            return new Verdict(Authenticity.UNSIGNED, "the event is not signed");
        }
        Ed25519PublicKeyParameters key = publicKey(kid);
        if (key == null) {
            return new Verdict(Authenticity.UNKNOWN_KEY, "the event is signed with key '" + abbreviate(kid)
                    + "', which the accounts service does not publish");
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            raw = new byte[0];
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        byte[] message = EventSignature.message(hash);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(raw) ? new Verdict(Authenticity.AUTHENTIC, null)
                : new Verdict(Authenticity.BAD_SIGNATURE, "the signature does not verify with key " + kid);
    }

    /** Fixed keys, by kid. */
    static EventKeys of(Map<String, Ed25519PublicKeyParameters> keys) {
        Map<String, Ed25519PublicKeyParameters> copy = Map.copyOf(keys);
        return copy::get;
    }

    /** The Ed25519 keys of a JWK set ({@code kty} OKP, {@code crv} Ed25519), by kid; other keys are ignored. */
    static Map<String, Ed25519PublicKeyParameters> parseJwks(JsonNode jwks) {
        Map<String, Ed25519PublicKeyParameters> keys = new HashMap<>();
        for (JsonNode jwk : jwks.path("keys")) {
            String kid = jwk.path("kid").textValue();
            String x = jwk.path("x").textValue();
            if (kid != null && x != null && "OKP".equals(jwk.path("kty").textValue())
                    && "Ed25519".equals(jwk.path("crv").textValue())) {
                try {
                    keys.put(kid, new Ed25519PublicKeyParameters(Base64.getUrlDecoder().decode(x)));
                } catch (IllegalArgumentException e) {
                    throw new EventFormatException("the key set's key " + kid + " is not an Ed25519 key");
                }
            }
        }
        return keys;
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }

    /** The key set could not be fetched, so whether a kid exists is unknown: try again later, reject nothing. */
    final class Unavailable extends RuntimeException {
        public Unavailable(String message) {
            super(message);
        }
    }
}
