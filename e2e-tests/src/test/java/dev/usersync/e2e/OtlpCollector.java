package dev.usersync.e2e;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

/**
 * An OpenTelemetry collector in memory: receives OTLP/HTTP protobuf trace exports from the packaged services and keeps
 * their spans, decoded from the wire format (only the fields the tests read).
 */
final class OtlpCollector implements AutoCloseable {

    /** A span as exported: ids in lowercase hex, the parent's empty for a root span. */
    record Span(String service, String traceId, String spanId, String parentSpanId, String name, int kind,
            Map<String, String> attributes) {
        static final int SERVER = 2;
        static final int PRODUCER = 4;
        static final int CONSUMER = 5;
    }

    private final HttpServer server;
    private final List<Span> spans = new CopyOnWriteArrayList<>();

    OtlpCollector() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                byte[] bytes = body.readAllBytes();
                if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    bytes = new GZIPInputStream(new ByteArrayInputStream(bytes)).readAllBytes();
                }
                spans.addAll(decode(bytes));
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            } catch (RuntimeException e) {
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
    }

    /** The services' environment that sends their spans here, at once. */
    Map<String, String> environment() {
        return Map.of("QUARKUS_OTEL_SDK_DISABLED", "false",
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:" + server.getAddress().getPort(),
                "QUARKUS_OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "http/protobuf",
                "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "100ms");
    }

    List<Span> spans() {
        return List.copyOf(spans);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    // --- the protobuf wire format of ExportTraceServiceRequest ------------------------------------------------------

    private static List<Span> decode(byte[] request) {
        List<Span> decoded = new ArrayList<>();
        Wire wire = new Wire(request);
        while (wire.more()) {
            int field = wire.tag();
            if (field == 1) { // ResourceSpans
                decodeResourceSpans(wire.message(), decoded);
            } else {
                wire.skip();
            }
        }
        return decoded;
    }

    private static void decodeResourceSpans(Wire resourceSpans, List<Span> decoded) {
        String service = null;
        List<Wire> scopes = new ArrayList<>();
        while (resourceSpans.more()) {
            int field = resourceSpans.tag();
            if (field == 1) { // Resource
                Wire resource = resourceSpans.message();
                while (resource.more()) {
                    if (resource.tag() == 1) {
                        Map.Entry<String, String> attribute = keyValue(resource.message());
                        if ("service.name".equals(attribute.getKey())) {
                            service = attribute.getValue();
                        }
                    } else {
                        resource.skip();
                    }
                }
            } else if (field == 2) { // ScopeSpans
                scopes.add(resourceSpans.message());
            } else {
                resourceSpans.skip();
            }
        }
        for (Wire scope : scopes) {
            while (scope.more()) {
                if (scope.tag() == 2) {
                    decoded.add(span(service, scope.message()));
                } else {
                    scope.skip();
                }
            }
        }
    }

    private static Span span(String service, Wire span) {
        HexFormat hex = HexFormat.of();
        String traceId = "";
        String spanId = "";
        String parent = "";
        String name = "";
        int kind = 0;
        Map<String, String> attributes = new HashMap<>();
        while (span.more()) {
            switch (span.tag()) {
                case 1 -> traceId = hex.formatHex(span.bytes());
                case 2 -> spanId = hex.formatHex(span.bytes());
                case 4 -> parent = hex.formatHex(span.bytes());
                case 5 -> name = span.string();
                case 6 -> kind = (int) span.varint();
                case 9 -> {
                    Map.Entry<String, String> attribute = keyValue(span.message());
                    attributes.put(attribute.getKey(), attribute.getValue());
                }
                default -> span.skip();
            }
        }
        return new Span(service, traceId, spanId, parent, name, kind, attributes);
    }

    /** A KeyValue, its value as text whatever its type (strings, integers, booleans). */
    private static Map.Entry<String, String> keyValue(Wire keyValue) {
        String key = "";
        String value = "";
        while (keyValue.more()) {
            int field = keyValue.tag();
            if (field == 1) {
                key = keyValue.string();
            } else if (field == 2) {
                Wire any = keyValue.message();
                while (any.more()) {
                    switch (any.tag()) {
                        case 1 -> value = any.string();
                        case 2 -> value = Boolean.toString(any.varint() != 0);
                        case 3 -> value = Long.toString(any.varint());
                        default -> any.skip();
                    }
                }
            } else {
                keyValue.skip();
            }
        }
        return Map.entry(key, value);
    }

    /** A reader of protobuf fields over a byte range. */
    private static final class Wire {
        private final byte[] bytes;
        private int position;
        private final int end;
        private int wireType;

        Wire(byte[] bytes) {
            this(bytes, 0, bytes.length);
        }

        private Wire(byte[] bytes, int start, int end) {
            this.bytes = bytes;
            this.position = start;
            this.end = end;
        }

        boolean more() {
            return position < end;
        }

        /** The next field's number; its wire type is kept for the value's read. */
        int tag() {
            long tag = varint();
            wireType = (int) (tag & 7);
            return (int) (tag >>> 3);
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = bytes[position++];
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalArgumentException("malformed varint");
        }

        byte[] bytes() {
            int length = (int) varint();
            byte[] value = java.util.Arrays.copyOfRange(bytes, position, position + length);
            position += length;
            return value;
        }

        String string() {
            return new String(bytes(), java.nio.charset.StandardCharsets.UTF_8);
        }

        Wire message() {
            int length = (int) varint();
            Wire message = new Wire(bytes, position, position + length);
            position += length;
            return message;
        }

        void skip() {
            switch (wireType) {
                case 0 -> varint();
                case 1 -> position += 8;
                case 2 -> {
                    int length = (int) varint(); // read first: it moves the position
                    position += length;
                }
                case 5 -> position += 4;
                default -> throw new IllegalArgumentException("wire type " + wireType);
            }
        }
    }
}
