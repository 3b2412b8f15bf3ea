package dev.usersync.events;

/** Lifecycle of an account as every product sees it. */
public enum AccountStatus {
    ACTIVE,
    CLOSED
}
