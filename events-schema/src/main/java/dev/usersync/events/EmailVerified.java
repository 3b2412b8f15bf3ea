package dev.usersync.events;

import java.util.Objects;

/** The person proved they own {@code email} (the account's current address when the event was written). */
public record EmailVerified(AccountState account, String email) implements EventData {

    public EmailVerified {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(email, "email");
    }

    public static EmailVerified of(AccountState account, String email) {
        return new EmailVerified(account, email);
    }

    @Override
    public EventType type() {
        return EventType.EMAIL_VERIFIED;
    }
}
