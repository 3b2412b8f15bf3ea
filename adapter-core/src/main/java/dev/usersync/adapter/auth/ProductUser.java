package dev.usersync.adapter.auth;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a product endpoint: callers need a valid token (Authorization header or the session cookie) of a live session
 * whose {@code products} include this adapter's product: 401 otherwise, 403 when only the product is missing.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ProductUser {
}
