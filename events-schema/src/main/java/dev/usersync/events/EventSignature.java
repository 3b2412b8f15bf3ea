package dev.usersync.events;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The accounts service's Ed25519 signature of an event (schema version 2 on): over the ASCII bytes of
 * {@value #CONTEXT} followed by the event's {@code hash}, which covers everything else in the event, its
 * {@code previousHash} included. Whoever can write to Kafka can compute a hash; only the accounts service can sign one.
 *
 * @param kid the event-signing key, as published in the accounts service's event key set
 * @param value the 64-byte signature, base64url without padding
 */
public record EventSignature(String kid, String value) {

    /** Domain separation: this key's signatures of events mean nothing else. */
    public static final String CONTEXT = "usersync-event-v2:";

    public static final String FIELD = "signature";

    public EventSignature {
        Objects.requireNonNull(kid, "kid");
        Objects.requireNonNull(value, "value");
    }

    /** What is signed for an event with this hash. */
    public static byte[] message(String hash) {
        return (CONTEXT + hash).getBytes(StandardCharsets.US_ASCII);
    }
}
