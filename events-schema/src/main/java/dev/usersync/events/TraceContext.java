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

    /**
     * The trace context of a request's headers as an event may carry it: {@code null} without a valid
     * {@code traceparent}; a {@code tracestate} the schema would refuse (over 512 characters) is dropped, as W3C lets a
     * propagator do. Whatever a client sends, the event it causes stays valid.
     */
    public static TraceContext fromHeaders(String traceparent, String tracestate) {
        if (traceparent == null) {
            return null;
        }
        TraceContext full = new TraceContext(traceparent, tracestate);
        if (valid(full)) {
            return full;
        }
        TraceContext parentOnly = new TraceContext(traceparent, null);
        return tracestate != null && valid(parentOnly) ? parentOnly : null;
    }

    private static boolean valid(TraceContext trace) {
        return EventSchemas.validateValue("traceContext", EventCodec.mapper().valueToTree(trace)).isEmpty();
    }
}
