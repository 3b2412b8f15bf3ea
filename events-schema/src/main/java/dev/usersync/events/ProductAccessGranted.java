package dev.usersync.events;

import java.util.Objects;

/** The account may now use {@code product}. */
public record ProductAccessGranted(AccountState account, String product) implements EventData {

    public ProductAccessGranted {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(product, "product");
    }

    public static ProductAccessGranted of(AccountState account, String product) {
        return new ProductAccessGranted(account, product);
    }

    @Override
    public EventType type() {
        return EventType.PRODUCT_ACCESS_GRANTED;
    }
}
