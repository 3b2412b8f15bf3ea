package dev.usersync.events;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Profile fields changed.
 *
 * @param changed the names of the {@link AccountState} fields that changed, sorted (e.g. {@code email}, {@code name})
 */
public record AccountUpdated(AccountState account, List<String> changed) implements EventData {

    public AccountUpdated {
        Objects.requireNonNull(account, "account");
        changed = changed == null ? List.of() : List.copyOf(new TreeSet<>(changed));
    }

    public static AccountUpdated of(AccountState account, List<String> changed) {
        return new AccountUpdated(account, changed);
    }

    @Override
    public EventType type() {
        return EventType.ACCOUNT_UPDATED;
    }
}
