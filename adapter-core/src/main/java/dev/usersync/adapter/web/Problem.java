package dev.usersync.adapter.web;

/** An error answered as RFC 9457 problem details by {@link ProblemMapper}. */
public class Problem extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;

    public Problem(int status, String type, String title, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.type = type;
        this.title = title;
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

    public static Problem badRequest(String type, String detail) {
        return new Problem(400, type, "Bad request", detail);
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
}
