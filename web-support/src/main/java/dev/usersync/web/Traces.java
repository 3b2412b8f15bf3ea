package dev.usersync.web;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * W3C trace context across the outbox and Kafka: one trace per change, from the HTTP request through the outbox row
 * and the record headers to each adapter's apply. With tracing off (the default), nothing is recording and these
 * carry only what a client sent.
 */
public final class Traces {

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

    private Traces() {
    }

    /**
     * {@code tracer} when tracing is on ({@code quarkus.otel.sdk.disabled=false}), otherwise one that records nothing:
     * with the SDK disabled Quarkus still hands out a minimal SDK, whose spans go nowhere but would start traces of
     * their own and replace the context a client sent.
     */
    public static Tracer tracer(Tracer tracer) {
        return enabled() ? tracer : OpenTelemetry.noop().getTracer("tracing-off");
    }

    /** Whether tracing is on. */
    public static boolean enabled() {
        return !ConfigProvider.getConfig().getOptionalValue("quarkus.otel.sdk.disabled", Boolean.class).orElse(false);
    }

    /** The current span's context as W3C headers ({@code traceparent}, {@code tracestate}); empty without one. */
    public static Map<String, String> current() {
        Map<String, String> headers = new HashMap<>();
        W3C.inject(Context.current(), headers, Map::put);
        return headers;
    }

    /** A context whose parent is the span the W3C headers name ({@code headers} answers by name, null if absent). */
    public static Context parent(Function<String, String> headers) {
        return W3C.extract(Context.root(), headers, new TextMapGetter<>() {
            @Override
            public Iterable<String> keys(Function<String, String> carrier) {
                return List.of("traceparent", "tracestate");
            }

            @Override
            public String get(Function<String, String> carrier, String key) {
                return carrier == null ? null : carrier.apply(key);
            }
        });
    }
}
