package dev.usersync.events;

import java.util.Objects;

/** The account may no longer use {@code product}. */
public record ProductAccessRevoked(AccountState account, String product) implements EventData {

    public ProductAccessRevoked {
        Objects.requireNonNull(account, "account");
        Objects.requireNonNull(product, "product");
    }

    public static ProductAccessRevoked of(AccountState account, String product) {
        return new ProductAccessRevoked(account, product);
    }

    @Override
    public EventType type() {
        return EventType.PRODUCT_ACCESS_REVOKED;
    }
}
