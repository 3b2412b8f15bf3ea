package dev.usersync.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The AsyncAPI document describes exactly the event types and schemas this module ships. */
class AsyncApiTest {

    private static JsonNode asyncApi;

    @BeforeAll
    static void read() throws IOException {
        try (InputStream in = AsyncApiTest.class.getClassLoader().getResourceAsStream("asyncapi.yaml")) {
            asyncApi = new ObjectMapper(new YAMLFactory()).readTree(in);
        }
    }

    @Test
    void theLogAndStateChannelsListEveryEventType() {
        List<String> types = Arrays.stream(EventType.values()).map(EventType::wireName).toList();
        for (String channel : List.of("accountLog", "accountState")) {
            List<String> listed = new ArrayList<>();
            asyncApi.at("/channels/" + channel + "/messages").fieldNames().forEachRemaining(listed::add);
            assertThat(listed).as(channel).containsExactlyInAnyOrderElementsOf(types);
        }
    }

    @Test
    void everyMessagePayloadPointsAtTheCurrentSchemaOfItsType() {
        for (EventType type : EventType.values()) {
            String ref = asyncApi.at("/components/messages/" + type.wireName() + "/payload/schema/$ref").asText();
            assertThat(ref).isEqualTo(type.schemaResource(EventType.CURRENT_VERSION));
            assertThat(getClass().getClassLoader().getResource(ref)).as(ref).isNotNull();
        }
    }

    @Test
    void theHeadersAreTheOnesProducersWrite() {
        List<String> headers = new ArrayList<>();
        asyncApi.at("/components/messageTraits/accountEvent/headers/properties").fieldNames()
                .forEachRemaining(headers::add);
        assertThat(headers).containsExactlyInAnyOrder(EventHeaders.EVENT_ID, EventHeaders.EVENT_TYPE,
                EventHeaders.SEQUENCE, EventHeaders.SCHEMA_VERSION, EventHeaders.TRACEPARENT,
                EventHeaders.TRACESTATE);
    }
}
