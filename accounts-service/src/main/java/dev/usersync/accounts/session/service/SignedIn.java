package dev.usersync.accounts.session.service;

import java.time.Instant;
import java.util.UUID;

/**
 * The caller of a request: a live session of an open account, and when its owner last proved their password
 * ({@code auth_time}).
 */
public record SignedIn(UUID accountId, UUID sessionId, boolean viaCookie, Instant authTime) {
}
