package dev.usersync.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * Secrets presented by callers (API keys as Bearer tokens, CSRF tokens), compared in time that depends neither on where
 * they differ nor on their lengths. Every service checks its keys here.
 */
public final class ApiKeys {

    private ApiKeys() {
    }

    /** Whether {@code authorization} is {@code Bearer <key>} with the configured key; never without one configured. */
    public static boolean presented(String authorization, Optional<String> key) {
        String presented = authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                ? authorization.substring(7).trim() : null;
        return key.isPresent() && !key.get().isEmpty() && equal(key.get(), presented);
    }

    /** Compares two secrets in time that does not depend on where they differ, nor on their lengths. */
    public static boolean equal(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(sha256(a), sha256(b));
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
