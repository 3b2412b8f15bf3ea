package dev.usersync.events;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builds one account's chain of events the way a producer does: next sequence, previous hash, seal, and from schema
 * version 2 on, sign with {@link #SIGNER}.
 */
final class TestChain {

    /** The event-signing key of the tests' chains. */
    static final EventSigner SIGNER = EventSigner.generate("test-event-key");

    private final UUID accountId;
    private final int version;
    private final List<AccountEvent> events = new ArrayList<>();

    TestChain(UUID accountId) {
        this(accountId, EventType.CURRENT_VERSION);
    }

    TestChain(UUID accountId, int version) {
        this.accountId = accountId;
        this.version = version;
    }

    TestChain append(UUID eventId, Instant occurredAt, TraceContext trace, EventData data) {
        AccountEvent previous = events.isEmpty() ? null : events.get(events.size() - 1);
        AccountEvent sealed = new AccountEvent(eventId, accountId, events.size() + 1, occurredAt, version,
                previous == null ? null : previous.hash(), null, null, trace, data).seal();
        events.add(version >= 2 ? SIGNER.sign(sealed) : sealed);
        return this;
    }

    TestChain append(EventData data) {
        return append(Uuid7.next(), Instant.parse("2026-11-21T08:00:00Z").plusSeconds(events.size()), null, data);
    }

    List<AccountEvent> events() {
        return List.copyOf(events);
    }
}
