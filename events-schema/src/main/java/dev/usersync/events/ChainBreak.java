package dev.usersync.events;

import java.util.UUID;

/**
 * A place where an account's chain does not hold.
 *
 * @param accountId the account, or {@code null} if the event was unreadable
 * @param sequence the sequence the event claims (0 if unreadable)
 * @param eventId the event at which the break was seen, or {@code null} if unreadable
 * @param kind what is wrong
 * @param detail a sentence for a person
 */
public record ChainBreak(UUID accountId, long sequence, UUID eventId, Kind kind, String detail) {

    public enum Kind {
        /** The event's content no longer matches its own hash: something in it was changed. */
        CONTENT_CHANGED,
        /** The event's previous hash is not the hash of the account's event before it. */
        BROKEN_LINK,
        /** One or more sequence numbers were skipped: events are missing. */
        SEQUENCE_GAP,
        /** A different event with a sequence number already seen for this account. */
        DUPLICATE_SEQUENCE,
        /** An event arrived after a later one of the same account. */
        OUT_OF_ORDER,
        /** The event lacks the envelope fields needed to check it. */
        UNREADABLE,
        /** The event carries no signature of the accounts service. */
        UNSIGNED,
        /** The event is signed with a key the accounts service does not publish. */
        UNKNOWN_KEY,
        /** The event's signature does not verify: someone other than the accounts service wrote it. */
        BAD_SIGNATURE
    }

    @Override
    public String toString() {
        return kind + " at account " + accountId + " sequence " + sequence + " (event " + eventId + "): " + detail;
    }
}
