package dev.usersync.events;

/** Kafka record headers that repeat envelope fields, so tools can route and trace without parsing the value. */
public final class EventHeaders {

    public static final String EVENT_ID = "event-id";
    public static final String EVENT_TYPE = "event-type";
    public static final String SEQUENCE = "sequence";
    public static final String SCHEMA_VERSION = "schema-version";
    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    private EventHeaders() {
    }
}
