package dev.usersync.adapter.sync;

import dev.usersync.events.AccountCreated;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.SignUpContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A product's rules for its own tables: the only thing a product's adapter writes besides configuration. Called by
 * {@link AccountSync} inside its transaction, with the account locked and the event known to be authentic and new.
 *
 * <p>An adapter's projection is a CDI bean, and it is also registered for {@link ServiceLoader} (a line in the
 * product jar's {@code META-INF/services/dev.usersync.adapter.sync.ProductProjection}), so that tools that replay the
 * log, such as the auditor's rebuild, find every product on their class path without naming it. It then needs a
 * public constructor without arguments and nothing injected.
 */
public interface ProductProjection {

    /** What a product id may be: it names a database, a folder, environment variables and a Kafka group. */
    Pattern PRODUCT_ID = Pattern.compile("[a-z][a-z0-9]*");

    /**
     * The product's id: the name the accounts service grants access by ({@code accounts.products}), the adapter's
     * {@code adapter.product}, and the folder of its migrations ({@code db/<product>}).
     */
    String product();

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
     * Every projection registered on the class path of {@code loader}, by product id. A product id that is not a
     * lower-case name, or that two projections claim, is refused: a jar on the class path must not shadow a product.
     */
    static List<ProductProjection> discover(ClassLoader loader) {
        List<ProductProjection> all = ServiceLoader.load(ProductProjection.class, loader).stream()
                .map(ServiceLoader.Provider::get).sorted(Comparator.comparing(ProductProjection::product)).toList();
        Set<String> seen = new HashSet<>();
        for (ProductProjection projection : all) {
            if (!PRODUCT_ID.matcher(projection.product()).matches() || !seen.add(projection.product())) {
                throw new IllegalStateException("product '" + projection.product() + "' of "
                        + projection.getClass().getName() + " is not a lower-case name, or is claimed twice");
            }
        }
        return all;
    }

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
