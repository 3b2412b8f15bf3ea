package dev.usersync.events;

import java.util.Objects;

/**
 * An upstream identity (for example a Google or Apple subject) linked to an account.
 *
 * @param provider the identity provider's configured name, e.g. {@code google}
 * @param subject the provider's stable subject identifier for this person
 */
public record LinkedIdentity(String provider, String subject) {

    public LinkedIdentity {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(subject, "subject");
    }

    public static LinkedIdentity of(String provider, String subject) {
        return new LinkedIdentity(provider, subject);
    }
}
