package dev.usersync.events;

import java.util.Objects;

/**
 * Where a sign-up came from.
 *
 * @param product the product the person signed up from, e.g. {@code track}
 * @param invitation the product's invitation reference the person followed, or {@code null}
 */
public record SignUpContext(String product, String invitation) {

    public SignUpContext {
        Objects.requireNonNull(product, "product");
    }

    public static SignUpContext of(String product, String invitation) {
        return new SignUpContext(product, invitation);
    }

    public boolean invited() {
        return invitation != null;
    }
}
