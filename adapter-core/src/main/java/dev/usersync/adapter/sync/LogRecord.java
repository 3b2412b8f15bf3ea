package dev.usersync.adapter.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.EventCodec;
import dev.usersync.events.EventFormatException;
import dev.usersync.events.EventKeys;
import dev.usersync.events.EventSchemas;
import dev.usersync.events.EventType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A record of the account log as the apply step takes it: an event to apply, or why it must not be applied. The live
 * consumer dead-letters a rejected record; an auditor's rebuild counts it. Both read records here, so both skip the
 * same ones.
 *
 * <p>A record is trusted only if it is what the accounts service wrote: its content hashes to its stated hash and a
 * published event key signed that hash. Whoever can write to Kafka can do neither. A record that is authentic but
 * cannot be applied otherwise (a schema this reader does not know, a wrong record key) still carries its revoked
 * sessions in {@link #revokedSessions}: a revocation is applied whatever else is wrong with its event.
 *
 * @param event the event, or {@code null} when rejected
 * @param rejection why the record is not applied, or {@code null}
 * @param accountId the account of an authentic record, or {@code null}
 * @param revokedSessions the sessions an authentic rejected SessionRevoked names; empty otherwise
 */
public record LogRecord(AccountEvent event, String rejection, UUID accountId, List<UUID> revokedSessions) {

    /**
     * Reads a record's key and value: an authentic, schema-valid event keyed by its own account id.
     *
     * @throws EventKeys.Unavailable when the event keys cannot be fetched to tell (retry later; reject nothing)
     */
    public static LogRecord read(byte[] key, byte[] value, EventKeys keys) {
        JsonNode tree;
        EventKeys.Verdict verdict;
        try {
            tree = EventCodec.parse(value == null ? new byte[0] : value);
            verdict = keys.check(tree);
        } catch (EventFormatException e) {
            return rejected("unreadable: " + e.getMessage(), null, List.of());
        }
        if (!verdict.authentic()) {
            return rejected(verdict.authenticity().name().toLowerCase(Locale.ROOT).replace('_', '-') + ": "
                    + verdict.detail(), null, List.of());
        }
        UUID accountId = uuid(tree.path("accountId").textValue());
        List<UUID> revoked = accountId == null ? List.of() : revokedSessions(tree);
        List<String> problems = EventSchemas.validate(tree);
        if (!problems.isEmpty()) {
            return rejected("schema: " + String.join("; ", problems), accountId, revoked);
        }
        AccountEvent event;
        try {
            event = EventCodec.fromTree(tree);
        } catch (EventFormatException e) {
            return rejected("unreadable: " + e.getMessage(), accountId, revoked);
        }
        String keyText = key == null ? null : new String(key, StandardCharsets.UTF_8);
        if (!event.accountId().toString().equals(keyText)) {
            return rejected("the record key is not the event's account id", accountId, revoked);
        }
        return new LogRecord(event, null, accountId, List.of());
    }

    public boolean rejected() {
        return rejection != null;
    }

    private static LogRecord rejected(String why, UUID accountId, List<UUID> revoked) {
        return new LogRecord(null, why, accountId, revoked);
    }

    /** The sessions of an authentic SessionRevoked, read as leniently as its signature allows. */
    private static List<UUID> revokedSessions(JsonNode event) {
        if (!EventType.SESSION_REVOKED.wireName().equals(event.path("type").textValue())) {
            return List.of();
        }
        List<UUID> sessions = new ArrayList<>();
        for (JsonNode session : event.path("data").path("sessionIds")) {
            UUID id = uuid(session.textValue());
            if (id != null) {
                sessions.add(id);
            }
        }
        return sessions;
    }

    private static UUID uuid(String text) {
        try {
            return text == null ? null : UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
