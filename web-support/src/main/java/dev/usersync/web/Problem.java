package dev.usersync.web;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answered as RFC 9457 problem details. Thrown anywhere; {@link ProblemMapper} writes it. Extension members
 * (for example OAuth's {@code error}) and headers (for example {@code Retry-After}) travel with it.
 */
public class Problem extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final Map<String, Object> extensions = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();

    public Problem(int status, String type, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    public static Problem badRequest(String type, String detail) {
        return new Problem(400, type, "Bad request", detail);
    }

    public static Problem unauthorized(String detail) {
        return new Problem(401, "unauthorized", "Not authenticated", detail);
    }

    public static Problem forbidden(String detail) {
        return new Problem(403, "forbidden", "Not allowed", detail);
    }

    public static Problem notFound(String detail) {
        return new Problem(404, "not-found", "Not found", detail);
    }

    public static Problem conflict(String type, String detail) {
        return new Problem(409, type, "Conflict", detail);
    }

    public Problem with(String member, Object value) {
        extensions.put(member, value);
        return this;
    }

    public Problem header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
