package dev.usersync.relay;

import dev.usersync.events.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Creates the account log (kept forever) and the compacted state topic when they are missing. */
final class RelayTopics {

    private RelayTopics() {
    }

    /** {@code kafka}: the service's Kafka client configuration (bootstrap servers, TLS, SASL). */
    static void ensure(Map<String, Object> kafka, RelayConfig.Topics topics) throws InterruptedException {
        Map<String, Object> admin = new HashMap<>(kafka);
        admin.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        admin.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        NewTopic log = new NewTopic(topics.log(), topics.partitions(), topics.replicationFactor())
                .configs(Topics.accountLogConfig(topics.minInsyncReplicas()));
        NewTopic state = new NewTopic(topics.state(), topics.partitions(), topics.replicationFactor())
                .configs(Topics.accountStateConfig(topics.minInsyncReplicas()));
        try (Admin client = Admin.create(admin)) {
            Set<String> existing = client.listTopics().names().get(15, TimeUnit.SECONDS);
            List<NewTopic> missing = List.of(log, state).stream().filter(t -> !existing.contains(t.name())).toList();
            if (!missing.isEmpty()) {
                client.createTopics(missing).all().get(15, TimeUnit.SECONDS);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create the account topics: " + e.getCause().getMessage(), e);
            }
        } catch (TimeoutException e) {
            throw new IllegalStateException("Kafka did not answer while creating the account topics", e);
        }
    }
}
