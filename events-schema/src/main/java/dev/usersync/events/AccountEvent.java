package dev.usersync.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import java.util.UUID;

/**
 * The envelope of every account event: one link in the account's hash chain.
 *
 * @param eventId a time-ordered UUID, unique across the log
 * @param accountId the account the event belongs to; also the Kafka record key
 * @param sequence the account's event number: 1 for its first event, then without gaps
 * @param occurredAt when the change was committed (microsecond precision, as PostgreSQL stores it)
 * @param schemaVersion the version of this type's schema the event was written with
 * @param previousHash the {@link #hash} of the account's previous event; {@code null} for sequence 1
 * @param hash SHA-256 of this event's canonical JSON without this field and the signature; {@code null} until
 *     {@link #seal()}ed
 * @param signature the accounts service's signature of {@link #hash} (schema version 2 on); {@code null} until signed
 * @param trace the trace context of the request that caused the change, or {@code null}
 * @param data what happened, with the account's full current state
 */
public record AccountEvent(
        UUID eventId,
        UUID accountId,
        long sequence,
        Instant occurredAt,
        int schemaVersion,
        String previousHash,
        String hash,
        EventSignature signature,
        TraceContext trace,
        EventData data) {

    public AccountEvent {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(accountId, "accountId");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(data, "data");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence starts at 1, was " + sequence);
        }
        if ((sequence == 1) != (previousHash == null)) {
            throw new IllegalArgumentException("exactly the first event of an account has no previous hash");
        }
        if (!accountId.equals(data.account().id())) {
            throw new IllegalArgumentException("the event's account id differs from the state's");
        }
    }

    /** A new, not yet sealed event written with the current schema version. */
    public static AccountEvent of(UUID accountId, long sequence, Instant occurredAt, String previousHash,
            TraceContext trace, EventData data) {
        return new AccountEvent(Uuid7.next(), accountId, sequence, occurredAt.truncatedTo(ChronoUnit.MICROS),
                EventType.CURRENT_VERSION, previousHash, null, null, trace, data);
    }

    public EventType type() {
        return data.type();
    }

    /** This event with its {@link #hash} computed over its canonical JSON (any signature dropped). */
    public AccountEvent seal() {
        return new AccountEvent(eventId, accountId, sequence, occurredAt, schemaVersion, previousHash,
                EventHash.of(EventCodec.toTree(this)), null, trace, data);
    }

    AccountEvent withSignature(EventSignature signature) {
        return new AccountEvent(eventId, accountId, sequence, occurredAt, schemaVersion, previousHash, hash,
                signature, trace, data);
    }
}
