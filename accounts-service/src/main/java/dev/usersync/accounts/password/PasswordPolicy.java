package dev.usersync.accounts.password;

import dev.usersync.web.Problem;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/** What a new password must be: long enough, not absurdly long (hashing cost), not common, not the email. */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 10;
    public static final int MAX_BYTES = 256;

    private static final Set<String> COMMON = Set.of("password", "password1", "password123", "1234567890",
            "12345678910", "qwertyuiop", "iloveyou12", "letmein123", "welcome123", "passw0rd12", "qwerty1234",
            "1q2w3e4r5t", "abcdefghij", "administrator", "0987654321", "1111111111", "changeme12");

    private PasswordPolicy() {
    }

    /** Throws a 400 problem that says what is wrong with {@code password}. */
    public static void check(String password, String email) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
            throw weak("a password has at least " + MIN_LENGTH + " characters");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw weak("a password has at most " + MAX_BYTES + " bytes");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (COMMON.contains(lower) || password.chars().distinct().count() < 4) {
            throw weak("this password is too easy to guess");
        }
        if (email != null && lower.contains(email.toLowerCase(Locale.ROOT).split("@")[0])
                && email.split("@")[0].length() >= 4) {
            throw weak("a password must not contain the email address");
        }
    }

    private static Problem weak(String detail) {
        return Problem.badRequest("weak-password", detail);
    }
}
