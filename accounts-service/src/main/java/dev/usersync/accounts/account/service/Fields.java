package dev.usersync.accounts.account.service;

import dev.usersync.events.EventSchemas;
import dev.usersync.web.Problem;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.IllformedLocaleException;
import java.util.Locale;

/**
 * Checks and normalises the profile fields people type. Whatever passes here is then checked against the event
 * schema's own definition of the field (the one every consumer of the log applies), so the API never accepts a value
 * its events could not carry: a looser producer would turn every later event of the account, revocations included,
 * into a dead letter.
 */
public final class Fields {

    private static final String NAME_RULE = "a name has 1 to 200 characters and no control characters";

    private Fields() {
    }

    /** A trimmed address the events' {@code email} definition accepts. */
    public static String email(String email) {
        String trimmed = email == null ? "" : email.trim();
        return checked("email", trimmed, "invalid-email", "'" + abbreviate(trimmed) + "' is not an email address "
                + "this service accepts (ASCII, a dot-atom before the @, a domain of letter-digit-hyphen labels)");
    }

    /** A stripped display name of 1 to 200 characters without control characters or broken surrogates. */
    public static String name(String name) {
        if (name == null) {
            return null;
        }
        String trimmed = name.strip();
        if (!wellFormed(trimmed)) {
            throw Problem.badRequest("invalid-name", NAME_RULE);
        }
        return checked("name", trimmed, "invalid-name", NAME_RULE);
    }

    /** The canonical form of a BCP 47 language tag, at most 35 characters. */
    public static String locale(String tag) {
        if (tag == null) {
            return null;
        }
        String problem = "'" + abbreviate(tag) + "' is not a BCP 47 language tag of at most 35 characters";
        String canonical;
        try {
            canonical = new Locale.Builder().setLanguageTag(tag).build().toLanguageTag();
        } catch (IllformedLocaleException e) {
            throw Problem.badRequest("invalid-locale", problem);
        }
        if (canonical.isEmpty() || "und".equals(canonical)) {
            throw Problem.badRequest("invalid-locale", problem);
        }
        return checked("locale", canonical, "invalid-locale", problem);
    }

    /** An IANA time zone (a region id such as {@code Europe/Tallinn}; offsets such as {@code +02:00} are not zones). */
    public static String timeZone(String zone) {
        if (zone == null) {
            return null;
        }
        String problem = "'" + abbreviate(zone) + "' is not an IANA time zone";
        String id;
        try {
            id = ZoneId.of(zone).getId();
        } catch (DateTimeException e) {
            throw Problem.badRequest("invalid-time-zone", problem);
        }
        if (!ZoneId.getAvailableZoneIds().contains(id)) {
            throw Problem.badRequest("invalid-time-zone", problem);
        }
        return checked("timeZone", id, "invalid-time-zone", problem);
    }

    /** A product's invitation reference as typed at sign-up; blank means none. */
    public static String invitation(String invitation) {
        if (invitation == null || invitation.isBlank()) {
            return null;
        }
        String trimmed = invitation.trim();
        return checked("invitation", trimmed, "invalid-invitation",
                "an invitation reference has 1 to 200 printable ASCII characters and no spaces");
    }

    private static String checked(String definition, String value, String type, String detail) {
        if (!EventSchemas.validateValue(definition, value).isEmpty()) {
            throw Problem.badRequest(type, detail);
        }
        return value;
    }

    /** No unpaired surrogate: JSON writers cannot encode one, and it is not text. */
    private static boolean wellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    private static String abbreviate(String value) {
        return value.length() <= 60 ? value : value.substring(0, 60) + "...";
    }
}
