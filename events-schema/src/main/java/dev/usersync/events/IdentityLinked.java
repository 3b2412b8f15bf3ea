package dev.usersync.events;

import java.util.Objects;

/** An upstream identity (sign in with Google, Apple, ...) was linked to the account. */
public record IdentityLinked(AccountState account, LinkedIdentity identity) implements EventData {

    public IdentityLinked {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(identity, "identity");
    }

    public static IdentityLinked of(AccountState account, LinkedIdentity identity) {
        return new IdentityLinked(account, identity);
    }

    @Override
    public EventType type() {
        return EventType.IDENTITY_LINKED;
    }
}
