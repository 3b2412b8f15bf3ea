package dev.usersync.adapter.auth;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a product endpoint: callers need a valid token (Authorization header or the session cookie) naming this
 * adapter's product in its {@code aud}, of a live session (401 otherwise), of an account the log says may use the
 * product (403 otherwise).
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ProductUser {
}
