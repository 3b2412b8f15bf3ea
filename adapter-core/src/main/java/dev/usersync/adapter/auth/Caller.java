package dev.usersync.adapter.auth;

import java.util.List;
import java.util.UUID;

/**
 * Who is calling, from a verified token: no personal data, just ids. {@code audience}: what the token is for (this
 * product among them); {@code clientId}: the native app an OAuth access token was issued to, {@code null} for a browser
 * session's token.
 */
public record Caller(UUID accountId, UUID sessionId, List<String> audience, String clientId) {
}
