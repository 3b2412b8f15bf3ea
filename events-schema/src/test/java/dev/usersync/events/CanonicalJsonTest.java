package dev.usersync.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    @Test
    void membersAreSortedByCodeUnitAndWhiteSpaceIsDropped() {
        assertThat(canonical("{ \"b\": 1, \"a\": [ true, false ], \"B\": {\"z\": \"\", \"é\": 2} }"))
                .isEqualTo("{\"B\":{\"z\":\"\",\"é\":2},\"a\":[true,false],\"b\":1}");
    }

    @Test
    void nullMembersAreLeftOutButNullArrayItemsStay() {
        assertThat(canonical("{\"a\": null, \"b\": [null, 1]}")).isEqualTo("{\"b\":[null,1]}");
    }

    @Test
    void stringsUseTheShortestEscapesWithLowerCaseHex() {
        assertThat(canonical("{\"s\": \"\\u0022\\u005c\\u002f\\b\\f\\n\\r\\t\\u001F\\u007f€😀\"}"))
                .isEqualTo("{\"s\":\"\\\"\\\\/\\b\\f\\n\\r\\t\\u001f\u007f€😀\"}");
    }

    @Test
    void fractionalNumbersAreRefusedBecauseTheirTextIsNotCanonical() {
        assertThatThrownBy(() -> canonical("{\"n\": 1.5}")).isInstanceOf(EventFormatException.class);
    }

    private static String canonical(String json) {
        return CanonicalJson.write(EventCodec.parse(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
