package dev.usersync.adapter.sync;

import dev.usersync.events.AccountCreated;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.SignUpContext;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A product's rules for its own tables: the only thing a product's adapter writes besides configuration. Called by
 * {@link AccountSync} inside its transaction, with the account locked and the event known to be authentic and new.
 */
public interface ProductProjection {

    /**
     * Applies {@code event} to the product's tables. The event may be the first this adapter sees of the account
     * whatever its type (a bootstrap from the state topic, a sync-on-miss, a gap): decide from its full state and
     * {@link #signUpOf}, never from its type alone.
     *
     * @param connection the apply transaction's connection
     * @param event the event, newer than anything applied for the account
     */
    void apply(Connection connection, AccountEvent event) throws SQLException;

    /**
     * The product's rows that the account log alone decides, one per account: a query whose first column is the
     * account id and whose other columns an auditor's diff compares one by one between a rebuilt and a live cache.
     * What the product builds around these rows itself (Track's workspaces and invitations, Plan's teams) stays out:
     * a rebuild from the log cannot know it.
     */
    String mirrorQuery();

    /**
     * Where the account came from, whichever of its events this is: every event carries it in its state since schema
     * version 2; before that only AccountCreated did. {@code null} when unknown.
     */
    static SignUpContext signUpOf(AccountEvent event) {
        if (event.data().account().signUp() != null) {
            return event.data().account().signUp();
        }
        return event.data() instanceof AccountCreated created ? created.signUp() : null;
    }
}
