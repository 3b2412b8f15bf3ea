package dev.usersync.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EventSchemasTest {

    @Test
    void everyExampleEventMatchesItsSchema() {
        for (AccountEvent event : ExampleEvents.lifeOfAnAccount()) {
            assertThat(EventSchemas.validate(EventCodec.toTree(event))).as(event.type().wireName()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyTypeHasASchemaForEveryVersion(EventType type) {
        for (int version = 1; version <= EventType.CURRENT_VERSION; version++) {
            assertThat(getClass().getClassLoader().getResource(type.schemaResource(version)))
                    .as(type.schemaResource(version)).isNotNull();
        }
    }

    @Test
    void aMissingAccountStateIsInvalid() {
        assertThat(problems(e -> ((ObjectNode) e.get("data")).remove("account"))).anyMatch(p -> p.contains("account"));
    }

    @Test
    void anInvalidEmailIsInvalid() {
        assertThat(problems(e -> ((ObjectNode) e.at("/data/account")).put("email", "not-an-email")))
                .anyMatch(p -> p.contains("email"));
    }

    @Test
    void aSequenceBelowOneIsInvalid() {
        assertThat(problems(e -> ((ObjectNode) e).put("sequence", 0))).anyMatch(p -> p.contains("sequence"));
    }

    @Test
    void aFirstEventWithAPreviousHashIsInvalid() {
        assertThat(problems(e -> ((ObjectNode) e).put("previousHash", "0".repeat(64)))).isNotEmpty();
    }

    @Test
    void aLaterEventWithoutAPreviousHashIsInvalid() {
        JsonNode second = EventCodec.toTree(ExampleEvents.lifeOfAnAccount().get(1));
        ((ObjectNode) second).remove("previousHash");

        assertThat(EventSchemas.validate(second)).anyMatch(p -> p.contains("previousHash"));
    }

    @Test
    void aHashThatIsNotSha256HexIsInvalid() {
        assertThat(problems(e -> ((ObjectNode) e).put("hash", "not-a-hash"))).anyMatch(p -> p.contains("hash"));
    }

    @Test
    void aStringWhereANumberBelongsIsInvalid() {
        assertThat(problems(e -> ((ObjectNode) e).put("sequence", "1"))).anyMatch(p -> p.contains("sequence"));
    }

    @Test
    void anUnknownTypeIsInvalid() {
        assertThat(problems(e -> ((ObjectNode) e).put("type", "AccountHacked")))
                .containsExactly("unknown event type 'AccountHacked'");
    }

    @Test
    void aVersionThisReaderDoesNotKnowIsInvalid() {
        assertThat(problems(e -> ((ObjectNode) e).put("schemaVersion", 99)))
                .containsExactly("no schema for AccountCreated version 99");
    }

    @Test
    void aChangedFieldOutsideTheProfileIsInvalid() {
        JsonNode updated = EventCodec.toTree(ExampleEvents.lifeOfAnAccount().get(1));
        ((ObjectNode) updated.get("data")).putArray("changed").add("password");

        assertThat(EventSchemas.validate(updated)).anyMatch(p -> p.contains("changed"));
    }

    @Test
    void anUnsignedEventIsInvalidFromVersionTwoOn() {
        assertThat(problems(e -> ((ObjectNode) e).remove(EventSignature.FIELD))).anyMatch(p -> p.contains("signature"));
    }

    @Test
    void fieldRulesArePatternsEveryValidatorReadsAlike() {
        assertThat(EventSchemas.validateValue("email", "o'brien+tag@mail.example.co.uk")).isEmpty();
        assertThat(EventSchemas.validateValue("email", "x@host.local")).isEmpty();
        for (String bad : java.util.List.of("a..b@example.com", ".a@example.com", "a.@example.com", "a@example",
                "a@-example.com", "a@example.123", "a b@example.com", "ä@example.com", "a".repeat(65) + "@example.com",
                "a@" + "b".repeat(250) + ".com")) {
            assertThat(EventSchemas.validateValue("email", bad)).as(bad).isNotEmpty();
        }
        assertThat(EventSchemas.validateValue("locale", "zh-Hant-TW")).isEmpty();
        assertThat(EventSchemas.validateValue("locale", "en-" + "abcdefgh-".repeat(4) + "x")).isNotEmpty();
        assertThat(EventSchemas.validateValue("timeZone", "America/Argentina/Buenos_Aires")).isEmpty();
        assertThat(EventSchemas.validateValue("name", "Ada\nLovelace")).isNotEmpty();
        assertThat(EventSchemas.validateValue("invitation", "")).isNotEmpty();
    }

    @Test
    void membersAReaderDoesNotKnowAreAllowed() {
        assertThat(problems(e -> ((ObjectNode) e.at("/data/account")).put("avatarUrl", "https://example.com/a.png")))
                .isEmpty();
    }

    private static java.util.List<String> problems(Consumer<JsonNode> bend) {
        JsonNode created = EventCodec.toTree(ExampleEvents.lifeOfAnAccount().get(0));
        bend.accept(created);
        return EventSchemas.validate(created);
    }
}
