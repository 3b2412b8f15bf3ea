package dev.usersync.events;

/**
 * What an event says happened. Every kind carries the account's full current state besides what changed, so a
 * consumer can converge from any single event.
 */
public sealed interface EventData
        permits AccountCreated, AccountUpdated, EmailVerified, ProductAccessGranted, ProductAccessRevoked,
        IdentityLinked, AccountsMerged, AccountClosed, SessionRevoked {

    /** The account's full state after this event. */
    AccountState account();

    EventType type();
}
