package dev.usersync.adapter;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** What makes an adapter the adapter of one product, under {@code adapter.}. */
@ConfigMapping(prefix = "adapter")
public interface AdapterConfig {

    /** The product this adapter serves, as named in tokens' {@code aud} and in events, e.g. {@code track}. */
    String product();

    /** Topics of the account log. */
    Topics topics();

    Consumer consumer();

    Auth auth();

    Admin admin();

    interface Admin {
        /** Bearer key of the operator endpoints (dead-letter replay); unset, they answer 401. */
        java.util.Optional<String> apiKey();
    }

    interface Auth {

        /** The accounts service's issuer URL: the {@code iss} of its tokens. */
        String issuer();

        /**
         * Where this adapter reaches the accounts service for its keys, event keys and sync-on-miss, when not at the
         * issuer URL: inside a cluster, its Service (http://accounts:8080) rather than the public address.
         */
        java.util.Optional<String> accountsUrl();

        /** The base of the accounts service's endpoints as this adapter reaches them. */
        default String accountsBase() {
            return accountsUrl().orElse(issuer());
        }

        /** The domain-wide session cookie, read when a request has no Authorization header. */
        @WithDefault("mesh_session")
        String cookie();

        /** The key set is fetched again after this long, even when every kid is known. */
        @WithDefault("PT30M")
        Duration keySetMaxAge();

        /** An unknown kid triggers a fetch at once, but at most this often. */
        @WithDefault("PT10S")
        Duration unknownKidRefetchInterval();

        /** How long a lookup of an unknown kid waits for the one fetch it starts (or joins). */
        @WithDefault("PT2S")
        Duration unknownKidWait();

        /** Connect and read timeout of a key set fetch. */
        @WithDefault("PT3S")
        Duration fetchTimeout();

        /** Clock skew tolerated on exp and iat. */
        @WithDefault("PT30S")
        Duration clockSkew();

        /**
         * Revoked sessions are kept in memory this long after their revocation, and a first start replays at least
         * this much of the log for the revocations compaction dropped: no token of the session outlives it (the
         * accounts service's longest token, a web session's, lasts 12 hours).
         */
        @WithDefault("P1D")
        Duration revocationWindow();

        /** Verified tokens and known accounts kept in memory, at most. */
        @WithDefault("100000")
        int cacheSize();

        /** Bearer key for the accounts service's sync-on-miss endpoint. */
        java.util.Optional<String> syncApiKey();
    }

    interface Topics {

        /** The account log: every event, keyed by account id. */
        @WithDefault(dev.usersync.events.Topics.ACCOUNT_LOG)
        String accountLog();

        /** The compacted state topic: the latest event per account, for bootstrapping an empty cache. */
        @WithDefault(dev.usersync.events.Topics.ACCOUNT_STATE)
        String accountState();
    }

    interface Consumer {

        /** Whether this instance consumes the account log. */
        @WithDefault("true")
        boolean enabled();

        /** Threads applying events; one account's events always go to one thread, in order. */
        @WithDefault("4")
        int threads();

        /**
         * How long the group waits for a replica that stopped heartbeating (killed, or cut off) before its partitions
         * go to the others: the longest stall a crash causes. At least the broker's group.min.session.timeout.ms (6 s
         * by default); heartbeats go at a third of it.
         */
        @WithDefault("PT6S")
        Duration sessionTimeout();

        /** Most records taken from Kafka at once. */
        @WithDefault("500")
        int maxPollRecords();

        /** Attempts at applying one event before it goes to the dead-letter topic. */
        @WithDefault("3")
        int maxAttempts();

        /** Wait between attempts. */
        @WithDefault("PT0.2S")
        Duration retryBackoff();

        /** How often open gaps in accounts' sequences are fetched again while the accounts service does not answer. */
        @WithDefault("PT10S")
        Duration gapRetryInterval();

        /**
         * On first start (empty cache, no committed offsets) the adapter applies the compacted state topic, then
         * follows the log from this many records before its end per partition: the relay writes an event to the log
         * before the state topic, so the last batch of log records may not be in the state topic yet. At least the
         * relay's batch size.
         */
        @WithDefault("1024")
        int bootstrapMargin();
    }

    /** The consumer group of this product: one per product, shared by all its replicas. */
    default String consumerGroup() {
        return dev.usersync.events.Topics.consumerGroup(product());
    }

    /** Where records that cannot be applied go, with the reason in a header. */
    default String deadLetterTopic() {
        return dev.usersync.events.Topics.deadLetter(product());
    }
}
