package dev.usersync.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * Where a sign-up came from.
 *
 * @param product the product the person signed up from, e.g. {@code track}
 * @param invitation the invitation the person followed, or {@code null}: since schema version 2 the {@link #digest} of
 *     the product's invitation reference, which the product matches against its own invitations (the reference itself
 *     is a bearer secret for an invitation anyone with the link may use, and never travels in the log); in version 1
 *     the reference as typed
 */
public record SignUpContext(String product, String invitation) {

    /** SHA-256 of the reference's UTF-8 bytes, in lower-case hex: how events name an invitation. */
    public static String digest(String invitationReference) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(invitationReference.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public SignUpContext {
        Objects.requireNonNull(product, "product");
    }

    public static SignUpContext of(String product, String invitation) {
        return new SignUpContext(product, invitation);
    }

    public boolean invited() {
        return invitation != null;
    }
}
