package dev.usersync.accounts.session.service;

import java.time.Instant;
import java.util.UUID;

/**
 * The caller of a request: a live session of an open account, and when its owner last proved their password for it
 * (the session's {@code auth_time}, which a re-authentication moves). {@code browser}: a browser session's own token,
 * from its cookie (only there does a recent sign-in stand in for the password).
 */
public record SignedIn(UUID accountId, UUID sessionId, boolean viaCookie, Instant authTime, boolean browser) {
}
