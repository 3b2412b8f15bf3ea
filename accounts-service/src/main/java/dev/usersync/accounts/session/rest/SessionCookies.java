package dev.usersync.accounts.session.rest;

import dev.usersync.accounts.config.AccountsConfig;
import dev.usersync.accounts.session.service.Sessions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;

/**
 * The domain-wide cookies of a web session: the session JWT ({@code HttpOnly}) and its CSRF token (readable by the
 * products' pages, which echo it in a header). Both {@code Secure}, {@code SameSite=Lax}, on the shared parent domain.
 * And the accounts service's own device cookie, set at the first sign-in of a browser.
 */
@ApplicationScoped
public class SessionCookies {

    /** 400 days, the longest a browser keeps a cookie (RFC 6265bis). */
    private static final int DEVICE_MAX_AGE = 400 * 24 * 3600;

    private final AccountsConfig.Cookie config;

    public SessionCookies(AccountsConfig config) {
        this.config = config.cookie();
    }

    public Response.ResponseBuilder set(Response.ResponseBuilder response, Sessions.WebSession web) {
        int maxAge = (int) Math.max(0, Duration.between(Instant.now(), web.token().expiresAt()).toSeconds());
        response.cookie(cookie(config.name(), web.token().token(), maxAge, true),
                cookie(config.csrfName(), web.csrfToken(), maxAge, false));
        if (web.newDevice() != null) {
            response.cookie(new NewCookie.Builder(config.deviceName()).value(web.newDevice()).path("/")
                    .maxAge(DEVICE_MAX_AGE).secure(config.secure()).httpOnly(true).sameSite(NewCookie.SameSite.LAX)
                    .build());
        }
        return response;
    }

    public Response.ResponseBuilder clear(Response.ResponseBuilder response) {
        return response.cookie(cookie(config.name(), "", 0, true), cookie(config.csrfName(), "", 0, false));
    }

    private NewCookie cookie(String name, String value, int maxAge, boolean httpOnly) {
        NewCookie.Builder cookie = new NewCookie.Builder(name)
                .value(value)
                .path("/")
                .maxAge(maxAge)
                .secure(config.secure())
                .httpOnly(httpOnly)
                .sameSite(NewCookie.SameSite.LAX);
        config.domain().ifPresent(cookie::domain);
        return cookie.build();
    }
}
