package dev.usersync.accounts.session.rest;

import dev.usersync.accounts.session.service.Sessions;
import java.time.Instant;
import java.util.UUID;

/** What a browser learns at login besides its cookies: whose session, until when, and the CSRF token to echo. */
public record SessionView(UUID accountId, Instant expiresAt, String csrfToken) {

    public static SessionView of(Sessions.WebSession web) {
        return new SessionView(web.session().accountId, web.token().expiresAt(), web.csrfToken());
    }
}
