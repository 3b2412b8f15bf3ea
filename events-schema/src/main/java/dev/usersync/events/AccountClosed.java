package dev.usersync.events;

import java.util.Objects;

/** The account was closed; products deactivate and anonymise their local user. */
public record AccountClosed(AccountState account, Reason reason) implements EventData {

    public enum Reason {
        /** The person closed their own account. */
        REQUESTED,
        /** An administrator closed it. */
        ADMINISTRATIVE,
        /** It was merged into another account. */
        MERGED
    }

    public AccountClosed {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(reason, "reason");
    }

    public static AccountClosed of(AccountState account, Reason reason) {
        return new AccountClosed(account, reason);
    }

    @Override
    public EventType type() {
        return EventType.ACCOUNT_CLOSED;
    }
}
