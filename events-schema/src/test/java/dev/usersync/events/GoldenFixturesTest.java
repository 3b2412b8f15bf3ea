package dev.usersync.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

    @ParameterizedTest(name = "v{0}")
    @MethodSource("versions")
    void theFixturesOfEachVersionFormOneUnbrokenChain(int version) {
        assertThat(ChainVerifier.firstBreak(chain(version))).isEmpty();
    }

    @Test
    void signedFixturesVerifyWithTheirKeyAndUnsignedOnesAreReportedUnsigned() {
        for (int version = 1; version <= EventType.CURRENT_VERSION; version++) {
            ChainVerifier verifier = new ChainVerifier().checkingSignatures(GoldenFixtures.keys());
            List<ChainBreak.Kind> found = chain(version).stream().flatMap(event -> verifier.check(event).stream())
                    .map(ChainBreak::kind).distinct().toList();
            assertThat(found).as("version %d", version)
                    .isEqualTo(version == 1 ? List.of(ChainBreak.Kind.UNSIGNED) : List.of());
        }
    }

    @ParameterizedTest(name = "v{0}")
    @MethodSource("versions")
    void theExamplesStillProduceTheFixturesByteForByte(int version) {
        for (AccountEvent example : ExampleEvents.lifeOfAnAccount(version)) {
            assertThat(CanonicalJson.write(unsigned(EventCodec.toTree(example))))
                    .as("%s written today", example.type())
                    .isEqualTo(CanonicalJson.write(unsigned(GoldenFixtures.read(example.type(), version))));
        }
    }

    static IntStream versions() {
        return IntStream.rangeClosed(1, EventType.CURRENT_VERSION);
    }

    private static List<JsonNode> chain(int version) {
        return Arrays.stream(EventType.values())
                .map(type -> GoldenFixtures.read(type, version))
                .sorted(Comparator.comparingLong(event -> event.get("sequence").longValue()))
                .toList();
    }

    /** The examples are signed by a key of this run, the fixtures by theirs: compare what the signatures sign. */
    private static JsonNode unsigned(JsonNode event) {
        ObjectNode copy = event.deepCopy();
        copy.remove(EventSignature.FIELD);
        return copy;
    }
}
