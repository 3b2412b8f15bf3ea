package dev.usersync.events;

import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Sessions ended before their tokens expired; products must reject tokens whose {@code sid} is listed.
 *
 * @param sessionIds the revoked sessions, sorted
 */
public record SessionRevoked(AccountState account, List<UUID> sessionIds, Reason reason) implements EventData {

    public enum Reason {
        LOGOUT,
        PASSWORD_CHANGED,
        PASSWORD_RESET,
        ACCOUNT_CLOSED,
        /** A rotated refresh token was presented again: its whole family and session are revoked. */
        REFRESH_TOKEN_REUSED,
        ADMINISTRATIVE
    }

    public SessionRevoked {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(reason, "reason");
        sessionIds = sessionIds == null ? List.of() : List.copyOf(new TreeSet<>(sessionIds));
        if (sessionIds.isEmpty()) {
            throw new IllegalArgumentException("a SessionRevoked event names at least one session");
        }
    }

    public static SessionRevoked of(AccountState account, List<UUID> sessionIds, Reason reason) {
        return new SessionRevoked(account, sessionIds, reason);
    }

    @Override
    public EventType type() {
        return EventType.SESSION_REVOKED;
    }
}
