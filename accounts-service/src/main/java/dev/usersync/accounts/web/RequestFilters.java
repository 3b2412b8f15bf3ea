package dev.usersync.accounts.web;

import dev.usersync.accounts.config.AccountsConfig;
import dev.usersync.events.TraceContext;
import dev.usersync.web.Problem;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.container.ContainerRequestContext;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Runs before every resource: refuses oversized bodies and records who is asking. */
public class RequestFilters {

    private static final int MAX_USER_AGENT = 512;
    private static final java.util.regex.Pattern DEVICE = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{43}");

    private final AccountsConfig config;
    private final RequestInfo info;
    private final ClientAddress clients;

    public RequestFilters(AccountsConfig config, RequestInfo info) {
        this.config = config;
        this.info = info;
        this.clients = new ClientAddress(config.trustedProxies().orElse(java.util.List.of()));
    }

    @ServerRequestFilter(preMatching = true)
    public void limitBody(ContainerRequestContext request) {
        if (request.getLength() > config.maxBodyBytes()) {
            throw new Problem(413, "body-too-large", "Payload too large",
                    "the body is " + request.getLength() + " bytes; at most " + config.maxBodyBytes() + " are accepted");
        }
    }

    @ServerRequestFilter(preMatching = true)
    public void capture(ContainerRequestContext request, HttpServerRequest http) {
        String userAgent = request.getHeaderString("User-Agent");
        if (userAgent != null && userAgent.length() > MAX_USER_AGENT) {
            userAgent = userAgent.substring(0, MAX_USER_AGENT);
        }
        TraceContext trace = TraceContext.fromHeaders(request.getHeaderString("traceparent"),
                request.getHeaderString("tracestate"));
        jakarta.ws.rs.core.Cookie device = request.getCookies().get(config.cookie().deviceName());
        String peer = http.remoteAddress() == null ? null : http.remoteAddress().hostAddress();
        info.fill(clients.resolve(peer, request.getHeaderString("X-Forwarded-For")), userAgent, trace,
                device != null && DEVICE.matcher(device.getValue()).matches() ? device.getValue() : null);
    }
}
