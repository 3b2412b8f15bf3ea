package dev.usersync.adapter;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** What makes an adapter the adapter of one product. */
@ConfigMapping(prefix = "adapter")
public interface AdapterConfig {

    /** The product this adapter serves, as named in tokens' {@code products} claim and in events, e.g. {@code track}. */
    String product();

    /** Topics of the account log. */
    Topics topics();

    interface Topics {

        /** The account log: every event, keyed by account id. */
        @WithDefault("accounts.events")
        String accountLog();

        /** The compacted state topic: the latest event per account, for bootstrapping an empty cache. */
        @WithDefault("accounts.state")
        String accountState();
    }

    /** The consumer group of this product: one per product, shared by all its replicas. */
    default String consumerGroup() {
        return product() + "-adapter";
    }
}
