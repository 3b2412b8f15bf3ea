package dev.usersync.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;

/**
 * Reads and writes account events as JSON. The envelope is mapped by hand so that the wire format is visible in one
 * place; the data is plain Jackson over the records. Readers ignore members they do not know (producers may add
 * optional fields within a schema version); a member that is renamed or removed is caught by the golden fixtures.
 */
public final class EventCodec {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private EventCodec() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode toTree(AccountEvent event) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("eventId", event.eventId().toString());
        node.put("type", event.type().wireName());
        node.put("accountId", event.accountId().toString());
        node.put("sequence", event.sequence());
        node.put("occurredAt", event.occurredAt().toString());
        node.put("schemaVersion", event.schemaVersion());
        if (event.previousHash() != null) {
            node.put("previousHash", event.previousHash());
        }
        if (event.hash() != null) {
            node.put(EventHash.FIELD, event.hash());
        }
        if (event.signature() != null) {
            node.set(EventSignature.FIELD, MAPPER.valueToTree(event.signature()));
        }
        if (event.trace() != null) {
            node.set("trace", MAPPER.valueToTree(event.trace()));
        }
        node.set("data", MAPPER.valueToTree(event.data()));
        return node;
    }

    public static byte[] toBytes(AccountEvent event) {
        try {
            return MAPPER.writeValueAsBytes(toTree(event));
        } catch (JsonProcessingException e) {
            throw new EventFormatException("cannot write event " + event.eventId(), e);
        }
    }

    public static String toJson(AccountEvent event) {
        return new String(toBytes(event), StandardCharsets.UTF_8);
    }

    public static JsonNode parse(byte[] json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || !node.isObject()) {
                throw new EventFormatException("an event is a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new EventFormatException("malformed JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new EventFormatException("unreadable event: " + e.getMessage(), e);
        }
    }

    public static AccountEvent fromBytes(byte[] json) {
        return fromTree(parse(json));
    }

    public static AccountEvent fromTree(JsonNode node) {
        EventType type = EventType.fromWireName(text(node, "type"));
        int version = (int) number(node, "schemaVersion");
        if (version < 1 || version > EventType.CURRENT_VERSION) {
            throw new EventFormatException(type.wireName() + " version " + version + " is not readable here "
                    + "(this reader knows versions 1 to " + EventType.CURRENT_VERSION + ")");
        }
        try {
            return new AccountEvent(
                    UUID.fromString(text(node, "eventId")),
                    UUID.fromString(text(node, "accountId")),
                    number(node, "sequence"),
                    Instant.parse(text(node, "occurredAt")),
                    version,
                    optionalText(node, "previousHash"),
                    optionalText(node, EventHash.FIELD),
                    node.hasNonNull(EventSignature.FIELD)
                            ? MAPPER.treeToValue(node.get(EventSignature.FIELD), EventSignature.class) : null,
                    node.hasNonNull("trace") ? MAPPER.treeToValue(node.get("trace"), TraceContext.class) : null,
                    MAPPER.treeToValue(required(node, "data"), type.dataClass()));
        } catch (JsonProcessingException e) {
            throw new EventFormatException(type.wireName() + " data is not readable: " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new EventFormatException(type.wireName() + " is not valid: " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new EventFormatException("missing '" + field + "'");
        }
        return value;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.isTextual()) {
            throw new EventFormatException("'" + field + "' is not a string");
        }
        return value.textValue();
    }

    private static String optionalText(JsonNode node, String field) {
        return node.hasNonNull(field) ? text(node, field) : null;
    }

    private static long number(JsonNode node, String field) {
        JsonNode value = required(node, field);
        if (!value.canConvertToLong() || !value.isIntegralNumber()) {
            throw new EventFormatException("'" + field + "' is not an integer");
        }
        return value.longValue();
    }
}
