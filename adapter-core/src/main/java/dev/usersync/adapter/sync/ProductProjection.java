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

    /**
     * The product's rows that the account log alone decides, one per account: a query whose first column is the
     * account id and whose other columns an auditor's diff compares one by one between a rebuilt and a live cache.
     * What the product builds around these rows itself (Track's workspaces and invitations, Plan's teams) stays out:
     * a rebuild from the log cannot know it.
     */
    String mirrorQuery();
}
