package dev.usersync.events;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every account event type, with its name on the wire and the schema version producers write today. */
public enum EventType {
    ACCOUNT_CREATED("AccountCreated", AccountCreated.class),
    ACCOUNT_UPDATED("AccountUpdated", AccountUpdated.class),
    EMAIL_VERIFIED("EmailVerified", EmailVerified.class),
    PRODUCT_ACCESS_GRANTED("ProductAccessGranted", ProductAccessGranted.class),
    PRODUCT_ACCESS_REVOKED("ProductAccessRevoked", ProductAccessRevoked.class),
    IDENTITY_LINKED("IdentityLinked", IdentityLinked.class),
    ACCOUNTS_MERGED("AccountsMerged", AccountsMerged.class),
    ACCOUNT_CLOSED("AccountClosed", AccountClosed.class),
    SESSION_REVOKED("SessionRevoked", SessionRevoked.class);

    /** The version every producer writes now; readers accept every version from 1 up to it. */
    public static final int CURRENT_VERSION = 2;

    private static final Map<String, EventType> BY_WIRE_NAME = Arrays.stream(values())
            .collect(Collectors.toUnmodifiableMap(EventType::wireName, Function.identity()));

    private final String wireName;
    private final Class<? extends EventData> dataClass;

    EventType(String wireName, Class<? extends EventData> dataClass) {
        this.wireName = wireName;
        this.dataClass = dataClass;
    }

    public String wireName() {
        return wireName;
    }

    public Class<? extends EventData> dataClass() {
        return dataClass;
    }

    /** The JSON Schema resource of this type at {@code version}, relative to the classpath root. */
    public String schemaResource(int version) {
        return "schemas/events/" + wireName + ".v" + version + ".json";
    }

    public static EventType fromWireName(String wireName) {
        EventType type = BY_WIRE_NAME.get(wireName);
        if (type == null) {
            throw new EventFormatException("unknown event type '" + wireName + "'");
        }
        return type;
    }
}
