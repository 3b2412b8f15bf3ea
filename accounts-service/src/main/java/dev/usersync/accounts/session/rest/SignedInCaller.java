package dev.usersync.accounts.session.rest;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an accounts API endpoint for a signed-in caller ({@link SignedInFilter}): a valid token of a live session naming
 * {@code accounts}, as a bearer token or the session cookie (401 otherwise); a write through the cookie also needs the
 * CSRF header (403 otherwise). What is a write is the request's own method, never a value an endpoint passes. The
 * endpoint reads the caller from {@link CurrentSignedIn}. Endpoints must be blocking (the filter queries the session in a
 * transaction); {@code CsrfTest} checks every endpoint under {@code /v1/me} and {@code /v1/logout} carries it.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface SignedInCaller {
}
