package dev.usersync.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Old events must stay readable: every type and version has a fixture written when it was current. */
class GoldenFixturesTest {

    static Stream<Arguments> everyTypeAndVersion() {
        return Arrays.stream(EventType.values()).flatMap(type -> IntStream.rangeClosed(1, EventType.CURRENT_VERSION)
                .mapToObj(version -> Arguments.of(type, version)));
    }

    @ParameterizedTest(name = "{0} v{1}")
    @MethodSource("everyTypeAndVersion")
    void theFixtureStillReadsWithoutLosingAnything(EventType type, int version) {
        JsonNode stored = GoldenFixtures.read(type, version);

        AccountEvent event = EventCodec.fromTree(stored);

        assertThat(event.type()).isEqualTo(type);
        assertThat(event.schemaVersion()).isEqualTo(version);
        assertThat(CanonicalJson.write(EventCodec.toTree(event)))
                .as("what the current types write back from the fixture")
                .isEqualTo(CanonicalJson.write(stored));
    }

    @ParameterizedTest(name = "{0} v{1}")
    @MethodSource("everyTypeAndVersion")
    void theFixtureMatchesItsSchema(EventType type, int version) {
        assertThat(EventSchemas.validate(GoldenFixtures.read(type, version))).isEmpty();
    }

    @ParameterizedTest(name = "{0} v{1}")
    @MethodSource("everyTypeAndVersion")
    void theFixtureStillHashesToItsOwnHash(EventType type, int version) {
        JsonNode stored = GoldenFixtures.read(type, version);

        assertThat(EventHash.of(stored)).isEqualTo(stored.get("hash").textValue());
    }

    @Test
    void theVersionOneFixturesFormOneUnbrokenChain() {
        List<JsonNode> chain = Arrays.stream(EventType.values())
                .map(type -> GoldenFixtures.read(type, 1))
                .sorted(Comparator.comparingLong(event -> event.get("sequence").longValue()))
                .toList();

        assertThat(ChainVerifier.firstBreak(chain)).isEmpty();
    }

    @Test
    void theExamplesStillProduceTheFixturesByteForByte() {
        for (AccountEvent example : ExampleEvents.lifeOfAnAccount()) {
            assertThat(CanonicalJson.write(EventCodec.toTree(example)))
                    .as("%s written today", example.type())
                    .isEqualTo(CanonicalJson.write(GoldenFixtures.read(example.type(), example.schemaVersion())));
        }
    }
}
