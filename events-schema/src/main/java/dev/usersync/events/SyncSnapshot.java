package dev.usersync.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.UUID;

/**
 * What the accounts service answers an adapter that fetches one account ({@code GET /v1/sync/accounts/{id}}): on a
 * request from an account the adapter has never seen, and to heal a gap in an account's sequence. The adapter applies
 * it through its one apply step, like any event.
 *
 * @param head the account's last event exactly as published, signed: the adapter verifies it as it verifies the log
 * @param revokedSessions sessions revoked within the longest token lifetime: their tokens may still be presented, and
 *     the events that revoked them may lie below the head, where the sequence guard would skip them
 */
public record SyncSnapshot(JsonNode head, List<UUID> revokedSessions) {

    public SyncSnapshot {
        revokedSessions = revokedSessions == null ? List.of() : List.copyOf(revokedSessions);
    }
}
