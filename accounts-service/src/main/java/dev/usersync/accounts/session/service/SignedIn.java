package dev.usersync.accounts.session.service;

import java.util.UUID;

/** The caller of a request: a live session of an open account. */
public record SignedIn(UUID accountId, UUID sessionId, boolean viaCookie) {
}
