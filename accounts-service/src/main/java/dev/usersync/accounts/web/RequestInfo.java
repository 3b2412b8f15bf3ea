package dev.usersync.accounts.web;

import dev.usersync.events.TraceContext;
import jakarta.enterprise.context.RequestScoped;

/**
 * Who is asking, for the auth log, the outbox and brute-force protection: the client's address, user agent, trace
 * context and device cookie.
 */
@RequestScoped
public class RequestInfo {

    private String ip;
    private String userAgent;
    private TraceContext trace;
    private String device;

    void fill(String ip, String userAgent, TraceContext trace, String device) {
        this.ip = ip;
        this.userAgent = userAgent;
        this.trace = trace;
        this.device = device;
    }

    /** The browser's device cookie, if it has a well-formed one. */
    public String device() {
        return device;
    }

    public String ip() {
        return ip;
    }

    /** The client's network, which per-address limits count: its address, or its /64 for IPv6. */
    public String network() {
        return ClientAddress.network(ip);
    }

    public String userAgent() {
        return userAgent;
    }

    /** The incoming W3C trace context, or {@code null}. */
    public TraceContext trace() {
        return trace;
    }
}
