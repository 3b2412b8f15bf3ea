package dev.usersync.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class EventCodecPropertiesTest {

    @Property
    void everyEventReadsBackEqualToWhatWasWritten(@ForAll("events") AccountEvent event) {
        assertThat(EventCodec.fromBytes(EventCodec.toBytes(event))).isEqualTo(event);
    }

    @Property
    void aSealedEventCarriesTheHashOfItsOwnContent(@ForAll("events") AccountEvent event) {
        JsonNode wire = EventCodec.parse(EventCodec.toBytes(event));
        assertThat(event.hash()).matches("[0-9a-f]{64}");
        assertThat(EventHash.of(wire)).isEqualTo(event.hash());
    }

    @Property
    void theHashDoesNotDependOnMemberOrderOrExplicitNulls(@ForAll("events") AccountEvent event,
            @ForAll Random random) {
        ObjectNode reshaped = reshape(EventCodec.toTree(event), random);
        assertThat(CanonicalJson.write(reshaped)).isEqualTo(CanonicalJson.write(EventCodec.toTree(event)));
        assertThat(EventHash.of(reshaped)).isEqualTo(event.hash());
    }

    @Provide
    Arbitrary<AccountEvent> events() {
        return EventArbitraries.events();
    }

    /** The same object with its members in a random order and a few explicit nulls added, at every depth. */
    private static ObjectNode reshape(ObjectNode node, Random random) {
        List<Map.Entry<String, JsonNode>> members = new ArrayList<>();
        node.fields().forEachRemaining(members::add);
        Collections.shuffle(members, random);
        ObjectNode out = EventCodec.mapper().createObjectNode();
        for (Map.Entry<String, JsonNode> member : members) {
            JsonNode value = member.getValue();
            out.set(member.getKey(), value.isObject() ? reshape((ObjectNode) value, random) : value);
            if (random.nextInt(4) == 0) {
                out.set("absent" + random.nextInt(1000), NullNode.getInstance());
            }
        }
        return out;
    }
}
