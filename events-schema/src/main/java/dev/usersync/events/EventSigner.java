package dev.usersync.events;

import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;

/**
 * Signs sealed events with one Ed25519 event-signing key (Bouncy Castle's lightweight API: no JCA provider lookup,
 * about ten times the JDK's speed). The accounts service signs every event it records; tests sign their own chains.
 */
public final class EventSigner {

    private final String kid;
    private final Ed25519PrivateKeyParameters key;

    private EventSigner(String kid, Ed25519PrivateKeyParameters key) {
        this.kid = kid;
        this.key = key;
    }

    /** A signer for a stored private key (PKCS#8, as the JDK and Bouncy Castle encode Ed25519 keys). */
    public static EventSigner of(String kid, byte[] pkcs8) {
        try {
            if (PrivateKeyFactory.createKey(pkcs8) instanceof Ed25519PrivateKeyParameters ed25519) {
                return new EventSigner(kid, ed25519);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the event-signing key " + kid + " is not readable", e);
        }
        throw new IllegalArgumentException("the event-signing key " + kid + " is not an Ed25519 key");
    }

    /** A signer with a new random key (tests and fixtures). */
    public static EventSigner generate(String kid) {
        return new EventSigner(kid, new Ed25519PrivateKeyParameters(new SecureRandom()));
    }

    public String kid() {
        return kid;
    }

    /** The raw 32-byte public key, as a JWK's {@code x} holds it. */
    public byte[] publicKey() {
        return key.generatePublicKey().getEncoded();
    }

    /** This key's public half as a JWK ({@code OKP}, {@code Ed25519}), as the accounts service publishes it. */
    public Map<String, String> jwk() {
        return Map.of("kty", "OKP", "crv", "Ed25519", "kid", kid, "x",
                Base64.getUrlEncoder().withoutPadding().encodeToString(publicKey()));
    }

    /** The keys that verify this signer's events. */
    public EventKeys keys() {
        Ed25519PublicKeyParameters publicKey = key.generatePublicKey();
        return requested -> kid.equals(requested) ? publicKey : null;
    }

    /** The sealed event with this key's signature. */
    public AccountEvent sign(AccountEvent sealed) {
        if (sealed.hash() == null) {
            throw new IllegalArgumentException("seal the event before signing it");
        }
        return sealed.withSignature(signature(sealed.hash()));
    }

    /** This key's signature of an event with this hash. */
    public EventSignature signature(String hash) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        byte[] message = EventSignature.message(hash);
        signer.update(message, 0, message.length);
        return new EventSignature(kid, Base64.getUrlEncoder().withoutPadding().encodeToString(
                signer.generateSignature()));
    }
}
