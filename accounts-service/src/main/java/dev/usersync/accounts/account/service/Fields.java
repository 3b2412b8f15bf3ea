package dev.usersync.accounts.account.service;

import dev.usersync.web.Problem;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.IllformedLocaleException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Checks and normalises the profile fields people type. */
public final class Fields {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s\"<>(),;:\\\\\\[\\]]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$");
    private static final int MAX_EMAIL = 254;
    private static final int MAX_NAME = 200;

    private Fields() {
    }

    public static String email(String email) {
        String trimmed = email == null ? "" : email.trim();
        if (trimmed.length() > MAX_EMAIL || !EMAIL.matcher(trimmed).matches()) {
            throw Problem.badRequest("invalid-email", "'" + abbreviate(trimmed) + "' is not an email address");
        }
        return trimmed;
    }

    public static String name(String name) {
        if (name == null) {
            return null;
        }
        String trimmed = name.strip();
        if (trimmed.isEmpty() || trimmed.length() > MAX_NAME || trimmed.chars().anyMatch(Character::isISOControl)) {
            throw Problem.badRequest("invalid-name", "a name has 1 to " + MAX_NAME + " characters and no control "
                    + "characters");
        }
        return trimmed;
    }

    public static String locale(String tag) {
        if (tag == null) {
            return null;
        }
        try {
            String canonical = new Locale.Builder().setLanguageTag(tag).build().toLanguageTag();
            if (canonical.isEmpty() || "und".equals(canonical)) {
                throw new IllformedLocaleException(tag);
            }
            return canonical;
        } catch (IllformedLocaleException e) {
            throw Problem.badRequest("invalid-locale", "'" + abbreviate(tag) + "' is not a BCP 47 language tag");
        }
    }

    public static String timeZone(String zone) {
        if (zone == null) {
            return null;
        }
        try {
            return ZoneId.of(zone).getId();
        } catch (DateTimeException e) {
            throw Problem.badRequest("invalid-time-zone", "'" + abbreviate(zone) + "' is not an IANA time zone");
        }
    }

    private static String abbreviate(String value) {
        return value.length() <= 60 ? value : value.substring(0, 60) + "...";
    }
}
