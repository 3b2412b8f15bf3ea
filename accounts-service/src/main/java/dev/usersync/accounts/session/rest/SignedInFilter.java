package dev.usersync.accounts.session.rest;

import dev.usersync.accounts.session.service.Sessions;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/** Authenticates {@link SignedInCaller} endpoints before they run. */
@Provider
@SignedInCaller
@Priority(Priorities.AUTHENTICATION)
@ApplicationScoped // created on first request, after configuration is available (providers are built at static init)
public class SignedInFilter implements ContainerRequestFilter {

    private final Sessions sessions;
    private final CurrentSignedIn current;

    public SignedInFilter(Sessions sessions, CurrentSignedIn current) {
        this.sessions = sessions;
        this.current = current;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        current.set(sessions.authenticate(request.getHeaderString(HttpHeaders.AUTHORIZATION), request.getCookies(),
                request.getHeaderString(Sessions.CSRF_HEADER), request.getMethod()));
    }
}
