package dev.usersync.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every rendered document is one the API server would take, as far as its schema says, in every overlay. */
class K8sManifestsTest {

    /** What the schemas refuse in the documents, each prefixed with the document's kind and name. */
    static List<String> violations(List<JsonNode> documents) {
        List<String> violations = new ArrayList<>();
        for (JsonNode document : documents) {
            String name = document.path("kind").asText() + " " + document.path("metadata").path("name").asText();
            List<String> found = new ArrayList<>();
            if (CrdSchemas.defines(document)) {
                found.addAll(CrdSchemas.violations(document));
                found.addAll(CoreModels.metadataViolations(document));
            } else {
                found.addAll(CoreModels.violations(document));
            }
            found.forEach(v -> violations.add(name + ": " + v));
        }
        return violations;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyDocumentOfTheOverlayPassesItsSchema(String name) {
        Overlay overlay = Overlay.of(name);
        assertThat(overlay.documents()).extracting(d -> d.path("kind").asText())
                .contains("Namespace", "Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser", "Cluster", "Deployment",
                        "Service", "PodDisruptionBudget", "NetworkPolicy", "ServiceMonitor", "PodMonitor",
                        "PrometheusRule", "CronJob", "ConfigMap");
        assertThat(violations(overlay.documents())).isEmpty();
    }

    @Test
    void aMisspeltFieldFails() {
        assertThat(broken(d -> container(d, "Deployment", "accounts").set("readinesProbe",
                container(d, "Deployment", "accounts").remove("readinessProbe"))))
                .anyMatch(v -> v.startsWith("Deployment accounts:") && v.contains("readinesProbe: unknown field"));
        assertThat(broken(d -> spec(d, "Kafka", "mesh").with("kafka").set("listners",
                spec(d, "Kafka", "mesh").with("kafka").remove("listeners"))))
                .anyMatch(v -> v.startsWith("Kafka mesh:") && v.contains("listners"));
        assertThat(broken(d -> ((ObjectNode) find(d, "Cluster", "accounts-db").get("metadata"))
                .put("lables", "x")))
                .anyMatch(v -> v.startsWith("Cluster accounts-db:") && v.contains("lables: unknown field"));
    }

    @Test
    void aWrongTypeFails() {
        assertThat(broken(d -> spec(d, "KafkaTopic", "accounts-events").put("partitions", "six")))
                .anyMatch(v -> v.startsWith("KafkaTopic accounts-events:") && v.contains("partitions"));
        assertThat(broken(d -> spec(d, "Deployment", "track-adapter").put("replicas", "two")))
                .anyMatch(v -> v.startsWith("Deployment track-adapter: does not read"));
        assertThat(broken(d -> spec(d, "Cluster", "accounts-db").put("instances", "three")))
                .anyMatch(v -> v.startsWith("Cluster accounts-db:") && v.contains("instances"));
    }

    @Test
    void aFieldUnderTheWrongParentFails() {
        assertThat(broken(d -> ((ObjectNode) spec(d, "Deployment", "plan-adapter").get("template").get("spec"))
                .set("livenessProbe", container(d, "Deployment", "plan-adapter").remove("livenessProbe"))))
                .anyMatch(v -> v.startsWith("Deployment plan-adapter:") && v.contains("spec.livenessProbe: unknown"));
        assertThat(broken(d -> {
            ObjectNode slots = spec(d, "Cluster", "accounts-db").with("replicationSlots");
            slots.set("synchronizeLogicalDecoding",
                    slots.with("highAvailability").remove("synchronizeLogicalDecoding"));
        })).anyMatch(v -> v.startsWith("Cluster accounts-db:") && v.contains("synchronizeLogicalDecoding"));
    }

    @Test
    void aKindWithoutASchemaFails() {
        assertThat(broken(d -> ((ObjectNode) find(d, "Service", "accounts")).put("kind", "Servise")))
                .anyMatch(v -> v.startsWith("Servise accounts: no schema"));
    }

    /** The violations in the dev overlay after {@code change}. */
    private static List<String> broken(Consumer<List<JsonNode>> change) {
        List<JsonNode> documents = Overlay.dev().copy();
        change.accept(documents);
        return violations(documents);
    }

    static JsonNode find(List<JsonNode> documents, String kind, String name) {
        return documents.stream().filter(d -> kind.equals(d.path("kind").asText())
                && name.equals(d.path("metadata").path("name").asText())).findFirst().orElseThrow();
    }

    static ObjectNode spec(List<JsonNode> documents, String kind, String name) {
        return (ObjectNode) find(documents, kind, name).get("spec");
    }

    static ObjectNode container(List<JsonNode> documents, String kind, String name) {
        return (ObjectNode) ((ArrayNode) spec(documents, kind, name).get("template").get("spec").get("containers"))
                .get(0);
    }
}
