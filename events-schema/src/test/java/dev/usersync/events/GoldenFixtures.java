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
 * overwrite). Signed fixtures are signed by a key made for them and then forgotten; its public half is kept in
 * {@value #KEYS}.
 */
final class GoldenFixtures {

    private GoldenFixtures() {
    }

    static final String KEYS = "golden/event-keys.json";

    static String resource(EventType type, int version) {
        return "golden/" + type.wireName() + ".v" + version + ".json";
    }

    static JsonNode read(EventType type, int version) {
        return read(resource(type, version));
    }

    /** The public keys that verify the signed fixtures. */
    static EventKeys keys() {
        return EventKeys.of(EventKeys.parseJwks(read(KEYS)));
    }

    private static JsonNode read(String resource) {
        try (InputStream in = GoldenFixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new AssertionError("no golden fixture " + resource);
            }
            return EventCodec.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of("events-schema/src/test/resources/golden");
        EventSigner signer = EventSigner.generate("golden-fixtures-v" + EventType.CURRENT_VERSION);
        Path keys = dir.resolve("event-keys.json");
        if (!Files.exists(keys)) {
            Files.writeString(keys, EventCodec.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(
                    java.util.Map.of("keys", java.util.List.of(signer.jwk()))) + "\n");
            System.out.println("wrote " + keys);
        }
        for (AccountEvent example : ExampleEvents.lifeOfAnAccount()) {
            AccountEvent event = example.signature() == null ? example : signer.sign(example);
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
