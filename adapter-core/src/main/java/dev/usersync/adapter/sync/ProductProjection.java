package dev.usersync.adapter.sync;

import dev.usersync.events.AccountEvent;
import dev.usersync.events.AccountState;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A product's rules for its own tables: the only thing a product's adapter writes besides configuration. Called by
 * {@link AccountSync} inside its transaction, with the account locked and the event known to be new.
 */
public interface ProductProjection {

    /**
     * Applies {@code event} to the product's tables.
     *
     * @param connection the apply transaction's connection
     * @param event the event, newer than anything applied for the account
     * @param previous the account state last applied here, or {@code null} when this adapter has not seen the account
     */
    void apply(Connection connection, AccountEvent event, AccountState previous) throws SQLException;
}
