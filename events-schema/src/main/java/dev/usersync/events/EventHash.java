package dev.usersync.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * An event's own hash: SHA-256 over the canonical JSON of the event without its {@code hash} and {@code signature}
 * members (the signature signs the hash), in lower-case hex. The event's {@code previousHash} is inside what is
 * hashed, which is what makes the events of one account a chain.
 */
public final class EventHash {

    public static final String FIELD = "hash";

    private EventHash() {
    }

    /** The hash of an event as it stands on the wire (whatever its {@code hash} member says). */
    public static String of(JsonNode event) {
        if (!event.isObject()) {
            throw new EventFormatException("an event is a JSON object");
        }
        ObjectNode content = ((ObjectNode) event).deepCopy();
        content.remove(FIELD);
        content.remove(EventSignature.FIELD);
        return sha256(CanonicalJson.write(content));
    }

    private static String sha256(String canonical) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
