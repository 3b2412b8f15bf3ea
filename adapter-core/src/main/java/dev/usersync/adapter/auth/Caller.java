package dev.usersync.adapter.auth;

import java.util.List;
import java.util.UUID;

/** Who is calling, from a verified token: no personal data, just ids and products. */
public record Caller(UUID accountId, UUID sessionId, List<String> products) {
}
