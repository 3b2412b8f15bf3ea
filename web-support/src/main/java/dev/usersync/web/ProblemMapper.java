package dev.usersync.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** The one place errors become RFC 9457 problem details ({@code application/problem+json}). */
public class ProblemMapper {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_BASE = "https://usersync.dev/problems/";
    private static final Logger LOG = Logger.getLogger(ProblemMapper.class);

    @ServerExceptionMapper
    public Response problem(Problem problem) {
        return respond(problem);
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        List<Map<String, String>> errors = e.getConstraintViolations().stream()
                .map(v -> Map.of("field", field(v.getPropertyPath().toString()), "message", v.getMessage()))
                .sorted((a, b) -> a.get("field").compareTo(b.get("field")))
                .toList();
        return respond(Problem.badRequest("invalid-request", "the request has invalid fields").with("errors", errors));
    }

    /** Jackson's own mapper for this subtype answers with an empty body; ours says what is wrong. */
    @ServerExceptionMapper
    public Response wrongShape(MismatchedInputException e) {
        return malformed(e);
    }

    @ServerExceptionMapper
    public Response malformed(JsonProcessingException e) {
        return respond(Problem.badRequest("malformed-json", "the body is not valid JSON of the expected shape: "
                + e.getOriginalMessage()));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonProcessingException json) {
            return malformed(json);
        }
        int status = e.getResponse().getStatus();
        String title = Response.Status.fromStatusCode(status) != null
                ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Error";
        return respond(new Problem(status, "http-" + status, title, e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        if (poolExhausted(e)) {
            LOG.warnf("busy: no database connection came free in time (%s)", e.getMessage());
            return respond(new Problem(503, "busy", "Service unavailable", "the service is busy; try again in a "
                    + "moment").header("Retry-After", "1"));
        }
        LOG.error("unexpected error", e);
        return respond(new Problem(500, "internal", "Internal error", "the request could not be completed"));
    }

    /**
     * Whether {@code e} comes from the connection pool giving up waiting for a free connection: overload, which is
     * answered with 503 and {@code Retry-After}, not 500. Agroal throws a plain {@link SQLException} for it, told
     * apart by where it was thrown.
     */
    static boolean poolExhausted(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException && cause.getStackTrace().length > 0
                    && cause.getStackTrace()[0].getClassName().startsWith("io.agroal.pool.")) {
                return true;
            }
        }
        return false;
    }

    private static Response respond(Problem problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_BASE + problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status());
        if (problem.detail() != null) {
            body.put("detail", problem.detail());
        }
        body.putAll(problem.extensions());
        Response.ResponseBuilder response = Response.status(problem.status()).type(MEDIA_TYPE).entity(body);
        problem.headers().forEach(response::header);
        return response.build();
    }

    /** {@code signUp.arg0.email} becomes {@code email}: callers know the body, not our method names. */
    private static String field(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
