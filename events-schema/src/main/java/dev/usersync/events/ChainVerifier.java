package dev.usersync.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Checks the hash chains of a log, one account at a time, fed events in log order. It works on the JSON as it
 * stands on the wire, not on re-encoded records, so what is verified is exactly what was published.
 *
 * <p>An exact redelivery (same sequence, same hash) is not a finding: the log is at-least-once. It is counted.
 *
 * <p>Read from the start of the log, every account's chain must begin at sequence 1. Read from a point inside the log
 * ({@link #fromMidLog()}), an account's chain starts at the first event seen of it; an event older than that one
 * cannot be checked and is counted as such.
 *
 * <p>Given the accounts service's event keys ({@link #checkingSignatures}), it also reports events that are unsigned
 * or not signed by a published key.
 */
public final class ChainVerifier {

    private final boolean fromStart;
    private EventKeys keys;
    private final Map<UUID, Chain> chains = new HashMap<>();
    private long events;
    private long redeliveries;
    private long beforeWindow;

    /** An account's hashes from sequence {@code base + 1} on, as far as seen; {@code null} where one is missing. */
    private static final class Chain {
        final long base;
        final List<String> hashes = new ArrayList<>();

        Chain(long base) {
            this.base = base;
        }

        long last() {
            return base + hashes.size();
        }

        String hashOf(long sequence) {
            return hashes.get((int) (sequence - base - 1));
        }
    }

    /** A verifier for a log read from its beginning. */
    public ChainVerifier() {
        this(true);
    }

    private ChainVerifier(boolean fromStart) {
        this.fromStart = fromStart;
    }

    /** A verifier for a log read from a point inside it, such as a time. */
    public static ChainVerifier fromMidLog() {
        return new ChainVerifier(false);
    }

    /** Also checks every event's signature against these keys. */
    public ChainVerifier checkingSignatures(EventKeys keys) {
        this.keys = keys;
        return this;
    }

    /** The first break in {@code events}, read in order, if any. */
    public static Optional<ChainBreak> firstBreak(Iterable<? extends JsonNode> events) {
        ChainVerifier verifier = new ChainVerifier();
        for (JsonNode event : events) {
            List<ChainBreak> breaks = verifier.check(event);
            if (!breaks.isEmpty()) {
                return Optional.of(breaks.get(0));
            }
        }
        return Optional.empty();
    }

    /** Checks the next event of the log; returns what is wrong with it, empty when it extends its chain. */
    public List<ChainBreak> check(JsonNode event) {
        events++;
        UUID accountId;
        UUID eventId;
        long sequence;
        String stated;
        String previous;
        try {
            accountId = UUID.fromString(event.path("accountId").asText());
            eventId = UUID.fromString(event.path("eventId").asText());
            sequence = event.path("sequence").asLong(0);
            stated = event.path(EventHash.FIELD).textValue();
            previous = event.path("previousHash").textValue();
        } catch (IllegalArgumentException e) {
            return List.of(new ChainBreak(null, 0, null, ChainBreak.Kind.UNREADABLE, e.getMessage()));
        }
        if (sequence < 1 || stated == null) {
            return List.of(new ChainBreak(accountId, sequence, eventId, ChainBreak.Kind.UNREADABLE,
                    "no sequence or no hash"));
        }

        List<ChainBreak> breaks = new ArrayList<>(1);
        String actual = EventHash.of(event);
        if (!actual.equals(stated)) {
            breaks.add(new ChainBreak(accountId, sequence, eventId, ChainBreak.Kind.CONTENT_CHANGED,
                    "content hashes to " + actual + " but the event states " + stated));
        } else if (keys != null) {
            EventKeys.Verdict verdict = keys.checkSignature(event, stated);
            if (!verdict.authentic()) {
                breaks.add(new ChainBreak(accountId, sequence, eventId,
                        ChainBreak.Kind.valueOf(verdict.authenticity().name()), verdict.detail()));
            }
        }

        Chain chain = chains.computeIfAbsent(accountId, id -> new Chain(fromStart ? 0 : sequence - 1));
        long last = chain.last();
        if (sequence <= chain.base) {
            beforeWindow++;
            return breaks;
        }
        if (sequence <= last) {
            String seen = chain.hashOf(sequence);
            if (seen == null) {
                chain.hashes.set((int) (sequence - chain.base - 1), stated);
                breaks.add(new ChainBreak(accountId, sequence, eventId, ChainBreak.Kind.OUT_OF_ORDER,
                        "arrived after sequence " + last));
            } else if (seen.equals(stated)) {
                redeliveries++;
            } else {
                breaks.add(new ChainBreak(accountId, sequence, eventId, ChainBreak.Kind.DUPLICATE_SEQUENCE,
                        "another event already has this sequence"));
            }
            return breaks;
        }

        if (sequence > last + 1) {
            breaks.add(new ChainBreak(accountId, sequence, eventId, ChainBreak.Kind.SEQUENCE_GAP,
                    "expected sequence " + (last + 1) + (last + 1 == sequence - 1 ? "" : " to " + (sequence - 1))
                            + " first"));
            while (chain.last() < sequence - 1) {
                chain.hashes.add(null);
            }
        } else if (last > chain.base || fromStart) {
            String expectedPrevious = last == 0 ? null : chain.hashOf(last);
            if (expectedPrevious == null ? previous != null : !expectedPrevious.equals(previous)) {
                breaks.add(new ChainBreak(accountId, sequence, eventId, ChainBreak.Kind.BROKEN_LINK,
                        "previous hash " + previous + " is not the hash of sequence " + last + " ("
                                + expectedPrevious + ")"));
            }
        }
        chain.hashes.add(stated);
        return breaks;
    }

    /** Events checked so far. */
    public long events() {
        return events;
    }

    /** Exact redeliveries seen so far (same account, sequence and hash). */
    public long redeliveries() {
        return redeliveries;
    }

    /** Events older than the first one seen of their account, in a log read from inside ({@link #fromMidLog()}). */
    public long beforeWindow() {
        return beforeWindow;
    }

    /** Accounts seen so far. */
    public int accounts() {
        return chains.size();
    }
}
