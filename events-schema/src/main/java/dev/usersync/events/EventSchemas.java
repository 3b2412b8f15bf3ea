package dev.usersync.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Validates events against the JSON Schema of their type and version, shipped in this jar under
 * {@code schemas/events/}. Consumers call it before applying an event; an event that fails goes to the dead-letter
 * topic with the problems listed here.
 */
public final class EventSchemas {

    /** The {@code $id} prefix of every schema; mapped to the classpath so nothing is fetched over the network. */
    public static final String BASE_URI = "https://schemas.usersync.dev/";

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers -> mappers.mapPrefix(BASE_URI, "classpath:schemas/")));
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .formatAssertionsEnabled(true)
            .build();
    private static final Map<String, JsonSchema> SCHEMAS = new ConcurrentHashMap<>();

    private EventSchemas() {
    }

    /** The problems that make {@code event} invalid; empty when it is valid. */
    public static List<String> validate(JsonNode event) {
        if (!event.isObject()) {
            return List.of("an event is a JSON object");
        }
        EventType type;
        try {
            type = EventType.fromWireName(event.path("type").asText());
        } catch (EventFormatException e) {
            return List.of(e.getMessage());
        }
        int version = event.path("schemaVersion").asInt(0);
        if (version < 1 || version > EventType.CURRENT_VERSION) {
            return List.of("no schema for " + type.wireName() + " version " + event.path("schemaVersion"));
        }
        return schema(type, version).validate(event).stream()
                .map(ValidationMessage::getMessage)
                .sorted()
                .toList();
    }

    /**
     * The problems that make {@code value} invalid as the {@code definition} of the current version's shared
     * definitions ({@code email}, {@code name}, {@code locale}, {@code timeZone}, {@code invitation}, ...): the
     * accounts service checks what people type with these, so it never accepts a value its events could not carry.
     */
    public static List<String> validateValue(String definition, String value) {
        return validateValue(definition, EventCodec.mapper().getNodeFactory().textNode(value));
    }

    /** {@link #validateValue(String, String)} for any JSON value, such as a {@code traceContext}. */
    public static List<String> validateValue(String definition, JsonNode value) {
        JsonSchema schema = SCHEMAS.computeIfAbsent("$defs/" + definition, key -> FACTORY.getSchema(
                SchemaLocation.of(BASE_URI + "events/common.v" + EventType.CURRENT_VERSION + ".json#/$defs/"
                        + definition), CONFIG));
        return schema.validate(value).stream()
                .map(ValidationMessage::getMessage)
                .sorted()
                .toList();
    }

    static JsonSchema schema(EventType type, int version) {
        return SCHEMAS.computeIfAbsent(type.schemaResource(version),
                resource -> FACTORY.getSchema(SchemaLocation.of(BASE_URI + resource.substring("schemas/".length())),
                        CONFIG));
    }
}
