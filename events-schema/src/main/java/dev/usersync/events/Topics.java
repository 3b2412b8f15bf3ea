package dev.usersync.events;

import java.util.Map;

/**
 * The Kafka topics of the account log, as the relay and the adapters create them when they are missing, and as a
 * platform team declares them (k8s/base/kafka/topics.yaml, checked against these).
 */
public final class Topics {

    /** The account log: every event, keyed by account id, kept forever. */
    public static final String ACCOUNT_LOG = "accounts.events";

    /** The compacted state topic: the latest event per account, for bootstrapping an empty cache. */
    public static final String ACCOUNT_STATE = "accounts.state";

    private Topics() {
    }

    /** The account log's configuration: nothing is ever deleted. */
    public static Map<String, String> accountLogConfig(int minInsyncReplicas) {
        return Map.of("cleanup.policy", "delete", "retention.ms", "-1", "retention.bytes", "-1",
                "min.insync.replicas", Integer.toString(minInsyncReplicas));
    }

    /** The state topic's configuration: compacted to the latest event of each account. */
    public static Map<String, String> accountStateConfig(int minInsyncReplicas) {
        return Map.of("cleanup.policy", "compact", "min.insync.replicas", Integer.toString(minInsyncReplicas));
    }

    /** The consumer group shared by every replica of a product's adapter. */
    public static String consumerGroup(String product) {
        return product + "-adapter";
    }

    /** Where a product's adapter puts the records it cannot apply. */
    public static String deadLetter(String product) {
        return product + "-adapter.dead-letter";
    }

    /** A dead-letter topic's configuration: kept until an operator has replayed or judged every record. */
    public static Map<String, String> deadLetterConfig() {
        return Map.of("retention.ms", "-1");
    }
}
