package dev.usersync.adapter.auth;

import dev.usersync.adapter.AdapterConfig;
import dev.usersync.adapter.sync.SyncOnMiss;
import dev.usersync.web.Problem;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;

/**
 * Authenticates {@link ProductUser} endpoints locally: the token from {@code Authorization: Bearer} or the domain
 * cookie, verified against the cached key set and naming this product in its {@code aud} (401 otherwise), its session
 * not revoked (as applied from the log), and the account allowed this product as the log says now (403 otherwise: a
 * product revoked after the token was issued bites at once). No call to the accounts service, except once for an
 * account this adapter has never seen ({@link SyncOnMiss}); in the steady state no database query either ({@link
 * SessionChecks}).
 */
@Provider
@ProductUser
@Priority(Priorities.AUTHENTICATION)
@ApplicationScoped // created on first request, after configuration is available (providers are built at static init)
public class ProductUserFilter implements ContainerRequestFilter {

    private final TokenVerifier verifier;
    private final CurrentCaller current;
    private final SessionChecks sessions;
    private final AdapterConfig config;
    private final SyncOnMiss syncOnMiss;
    private final UnauthenticatedCallers unauthenticated;

    public ProductUserFilter(TokenVerifier verifier, CurrentCaller current, SessionChecks sessions,
            AdapterConfig config, SyncOnMiss syncOnMiss, Instance<UnauthenticatedCallers> benchmarkBuild) {
        this.verifier = verifier;
        this.current = current;
        this.sessions = sessions;
        this.config = config;
        this.syncOnMiss = syncOnMiss;
        this.unauthenticated = benchmarkBuild.isResolvable() ? benchmarkBuild.get() : null;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (unauthenticated != null) {
            Caller named = unauthenticated.caller(request);
            if (named != null) {
                current.set(named);
                return;
            }
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        Cookie cookie = request.getCookies().get(config.auth().cookie());
        String token;
        if (authorization != null) {
            if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw Problem.unauthorized("use a Bearer token or the session cookie");
            }
            token = authorization.substring(7).trim();
        } else if (cookie != null) {
            token = cookie.getValue();
        } else {
            throw Problem.unauthorized("sign in first");
        }
        Caller caller;
        try {
            caller = verifier.verify(token);
        } catch (TokenVerifier.InvalidToken e) {
            throw Problem.unauthorized(e.getMessage());
        }
        SessionChecks.Access access = sessions.access(caller.accountId());
        if (access == SessionChecks.Access.UNKNOWN) {
            syncOnMiss.fetch(caller.accountId());
            access = sessions.access(caller.accountId());
        }
        if (sessions.revoked(caller.sessionId())) {
            throw Problem.unauthorized("the session has ended");
        }
        if (access != SessionChecks.Access.ALLOWED) {
            throw Problem.forbidden("this account may not use " + config.product());
        }
        current.set(caller);
    }
}
