package dev.usersync.web;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/**
 * Keeps secrets and personal data out of exported traces: a query string can hold a token (an emailed link's, an
 * {@code id_token_hint}) and a client's address is personal data, and HTTP spans record both as they start.
 */
@ApplicationScoped
public class RedactedSpanAttributes implements SpanProcessor {

    static final List<AttributeKey<String>> REDACTED = List.of(AttributeKey.stringKey("url.query"),
            AttributeKey.stringKey("client.address"), AttributeKey.stringKey("network.peer.address"));

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {
        for (AttributeKey<String> key : REDACTED) {
            if (span.getAttribute(key) != null) {
                span.setAttribute(key, "redacted");
            }
        }
    }

    @Override
    public boolean isStartRequired() {
        return true;
    }

    @Override
    public void onEnd(ReadableSpan span) {
    }

    @Override
    public boolean isEndRequired() {
        return false;
    }
}
