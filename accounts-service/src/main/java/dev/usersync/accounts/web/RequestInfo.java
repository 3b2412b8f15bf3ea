package dev.usersync.accounts.web;

import dev.usersync.events.TraceContext;
import jakarta.enterprise.context.RequestScoped;

/** Who is asking, for the auth log and the outbox: the client's address, user agent and trace context. */
@RequestScoped
public class RequestInfo {

    private String ip;
    private String userAgent;
    private TraceContext trace;

    void fill(String ip, String userAgent, TraceContext trace) {
        this.ip = ip;
        this.userAgent = userAgent;
        this.trace = trace;
    }

    public String ip() {
        return ip;
    }

    public String userAgent() {
        return userAgent;
    }

    /** The incoming W3C trace context, or {@code null}. */
    public TraceContext trace() {
        return trace;
    }
}
