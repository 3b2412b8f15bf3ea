package dev.usersync.events;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The golden fixtures: one event of every type and version, as written when that version was current, kept under
 * {@code src/test/resources/golden/}. They are never regenerated: a fixture that stops reading means old events on
 * the log stopped reading. Run {@code main} only to add the fixtures of a new schema version (it refuses to
 * overwrite).
 */
final class GoldenFixtures {

    private GoldenFixtures() {
    }

    static String resource(EventType type, int version) {
        return "golden/" + type.wireName() + ".v" + version + ".json";
    }

    static JsonNode read(EventType type, int version) {
        try (InputStream in = GoldenFixtures.class.getClassLoader().getResourceAsStream(resource(type, version))) {
            if (in == null) {
                throw new AssertionError("no golden fixture " + resource(type, version));
            }
            return EventCodec.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of("events-schema/src/test/resources/golden");
        for (AccountEvent event : ExampleEvents.lifeOfAnAccount()) {
            Path file = dir.resolve(event.type().wireName() + ".v" + event.schemaVersion() + ".json");
            if (Files.exists(file)) {
                System.out.println("kept " + file);
                continue;
            }
            Files.writeString(file, EventCodec.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(EventCodec.toTree(event)) + "\n");
            System.out.println("wrote " + file);
        }
    }
}
