package dev.usersync.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Builds one account's chain of sealed events the way a producer does: next sequence, previous hash, seal. */
final class TestChain {

    private final UUID accountId;
    private final List<AccountEvent> events = new ArrayList<>();

    TestChain(UUID accountId) {
        this.accountId = accountId;
    }

    TestChain append(UUID eventId, Instant occurredAt, TraceContext trace, EventData data) {
        AccountEvent previous = events.isEmpty() ? null : events.get(events.size() - 1);
        events.add(new AccountEvent(eventId, accountId, events.size() + 1, occurredAt, EventType.CURRENT_VERSION,
                previous == null ? null : previous.hash(), null, trace, data).seal());
        return this;
    }

    TestChain append(EventData data) {
        return append(Uuid7.next(), Instant.parse("2026-11-21T08:00:00Z").plusSeconds(events.size()), null, data);
    }

    List<AccountEvent> events() {
        return List.copyOf(events);
    }
}
