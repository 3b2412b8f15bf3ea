package dev.usersync.adapter.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.EventCodec;
import dev.usersync.events.EventFormatException;
import dev.usersync.events.EventSchemas;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A record of the account log as the apply step takes it: an event to apply, or why it must not be applied. The live
 * consumer dead-letters a rejected record; an auditor's rebuild counts it. Both read records here, so both skip the
 * same ones.
 *
 * @param event the event, or {@code null} when rejected
 * @param rejection why the record is not applied, or {@code null}
 */
public record LogRecord(AccountEvent event, String rejection) {

    /** Reads a record's key and value: schema-valid JSON of an event keyed by its own account id. */
    public static LogRecord read(byte[] key, byte[] value) {
        AccountEvent event;
        try {
            JsonNode tree = EventCodec.parse(value == null ? new byte[0] : value);
            List<String> problems = EventSchemas.validate(tree);
            if (!problems.isEmpty()) {
                return new LogRecord(null, "schema: " + String.join("; ", problems));
            }
            event = EventCodec.fromTree(tree);
        } catch (EventFormatException e) {
            return new LogRecord(null, "unreadable: " + e.getMessage());
        }
        String keyText = key == null ? null : new String(key, StandardCharsets.UTF_8);
        if (!event.accountId().toString().equals(keyText)) {
            return new LogRecord(null, "the record key is not the event's account id");
        }
        return new LogRecord(event, null);
    }

    public boolean rejected() {
        return rejection != null;
    }
}
