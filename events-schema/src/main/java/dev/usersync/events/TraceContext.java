package dev.usersync.events;

/**
 * W3C trace context of the request that caused an event, so a trace continues from the HTTP request through the
 * outbox and Kafka into every adapter.
 *
 * @param traceparent the {@code traceparent} header value
 * @param tracestate the {@code tracestate} header value, or {@code null}
 */
public record TraceContext(String traceparent, String tracestate) {

    public static TraceContext of(String traceparent, String tracestate) {
        return new TraceContext(traceparent, tracestate);
    }
}
