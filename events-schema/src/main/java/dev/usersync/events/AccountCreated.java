package dev.usersync.events;

import java.util.Objects;

/** A person signed up (or was imported from a product's legacy users). */
public record AccountCreated(AccountState account, SignUpContext signUp) implements EventData {

    public AccountCreated {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(signUp, "signUp");
    }

    public static AccountCreated of(AccountState account, SignUpContext signUp) {
        return new AccountCreated(account, signUp);
    }

    @Override
    public EventType type() {
        return EventType.ACCOUNT_CREATED;
    }
}
