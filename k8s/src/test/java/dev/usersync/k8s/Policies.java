package dev.usersync.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersync.events.Topics;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The mesh's rules for its manifests, over the documents of one overlay; each returns what breaks it, empty if
 * nothing.
 */
final class Policies {

    /** Secrets the operators write: each KafkaUser's credentials, and the Kafka cluster's CA certificate. */
    private static Set<String> operatorSecrets(List<JsonNode> documents) {
        Set<String> secrets = new HashSet<>();
        of(documents, "KafkaUser").forEach(user -> secrets.add(name(user)));
        of(documents, "Kafka").forEach(kafka -> secrets.add(name(kafka) + "-cluster-ca-cert"));
        return secrets;
    }

    private Policies() {
    }

    /** Every workload's pods run as the house requires: non-root, read-only, nothing to escalate, measured sizes. */
    static List<String> podHardening(List<JsonNode> documents) {
        List<String> violations = new ArrayList<>();
        for (JsonNode workload : workloads(documents)) {
            String where = workload.path("kind").asText() + " " + name(workload);
            JsonNode pod = podSpec(workload);
            require(violations, where, pod.path("securityContext").path("runAsNonRoot").asBoolean(false),
                    "pod securityContext.runAsNonRoot is not true");
            require(violations, where, "RuntimeDefault".equals(
                    pod.path("securityContext").path("seccompProfile").path("type").asText()),
                    "pod seccompProfile is not RuntimeDefault");
            require(violations, where, !pod.path("automountServiceAccountToken").asBoolean(true),
                    "the pod mounts a service account token it never uses");
            for (JsonNode container : pod.path("containers")) {
                JsonNode security = container.path("securityContext");
                require(violations, where, !security.path("allowPrivilegeEscalation").asBoolean(true),
                        "allowPrivilegeEscalation is not false");
                require(violations, where, security.path("readOnlyRootFilesystem").asBoolean(false),
                        "the root filesystem is writable");
                require(violations, where, texts(security.path("capabilities").path("drop")).contains("ALL"),
                        "capabilities are not all dropped");
                JsonNode resources = container.path("resources");
                require(violations, where, resources.path("requests").has("cpu")
                        && resources.path("requests").has("memory") && resources.path("limits").has("memory"),
                        "requests (cpu, memory) and a memory limit are not all set");
                require(violations, where, !container.path("image").asText().endsWith(":latest")
                        && container.path("image").asText().contains(":"), "the image has no version tag");
            }
        }
        return violations;
    }

    /** Every Deployment's container has the three Quarkus health probes on its http port. */
    static List<String> probes(List<JsonNode> documents) {
        List<String> violations = new ArrayList<>();
        Map<String, String> expected = Map.of("startupProbe", "/q/health/started", "livenessProbe", "/q/health/live",
                "readinessProbe", "/q/health/ready");
        for (JsonNode deployment : of(documents, "Deployment")) {
            for (JsonNode container : podSpec(deployment).path("containers")) {
                expected.forEach((probe, path) -> {
                    JsonNode get = container.path(probe).path("httpGet");
                    require(violations, "Deployment " + name(deployment),
                            path.equals(get.path("path").asText()) && "http".equals(get.path("port").asText()),
                            probe + " is not an HTTP GET of " + path + " on port http");
                });
            }
        }
        return violations;
    }

    /**
     * Every Deployment has a disruption budget; every budget, autoscaler and monitor points at something that
     * exists; no autoscaler goes beyond the account log's partitions.
     */
    static List<String> selectors(List<JsonNode> documents) {
        List<String> violations = new ArrayList<>();
        List<JsonNode> deployments = of(documents, "Deployment");
        for (JsonNode budget : of(documents, "PodDisruptionBudget")) {
            long matched = deployments.stream().filter(d -> Selectors.matches(budget.path("spec").path("selector"),
                    podLabels(d))).count();
            require(violations, "PodDisruptionBudget " + name(budget), matched == 1,
                    "selects the pods of " + matched + " Deployments, not one");
        }
        for (JsonNode deployment : deployments) {
            require(violations, "Deployment " + name(deployment), of(documents, "PodDisruptionBudget").stream()
                    .anyMatch(b -> Selectors.matches(b.path("spec").path("selector"), podLabels(deployment))),
                    "has no PodDisruptionBudget");
        }
        int partitions = accountLog(documents).path("spec").path("partitions").asInt();
        for (JsonNode autoscaler : of(documents, "HorizontalPodAutoscaler")) {
            String where = "HorizontalPodAutoscaler " + name(autoscaler);
            JsonNode target = autoscaler.path("spec").path("scaleTargetRef");
            require(violations, where, "Deployment".equals(target.path("kind").asText())
                    && deployments.stream().anyMatch(d -> name(d).equals(target.path("name").asText())),
                    "scales " + target.path("kind").asText() + " " + target.path("name").asText()
                            + ", which is not rendered");
            require(violations, where, autoscaler.path("spec").path("maxReplicas").asInt() <= partitions,
                    "may scale beyond the " + partitions + " partitions of the account log");
        }
        for (JsonNode monitor : of(documents, "ServiceMonitor")) {
            List<JsonNode> services = of(documents, "Service").stream()
                    .filter(s -> Selectors.matches(monitor.path("spec").path("selector"), s.path("metadata")
                            .path("labels"))).toList();
            require(violations, "ServiceMonitor " + name(monitor), services.size() == 1 && monitor.path("spec")
                    .path("endpoints").findValuesAsText("port").stream().allMatch(port -> services.get(0)
                            .path("spec").path("ports").findValuesAsText("name").contains(port)),
                    "does not select one Service with the ports it scrapes");
        }
        for (JsonNode service : of(documents, "Service")) {
            require(violations, "Service " + name(service), deployments.stream().anyMatch(
                    d -> Selectors.matchesLabels(service.path("spec").path("selector"), podLabels(d))),
                    "selects no Deployment's pods");
        }
        return violations;
    }

    /**
     * The topics equal what the services would create (events-schema's Topics, the relay's settings in the accounts
     * Deployment), each adapter has its dead-letter topic, and each Strimzi resource names a rendered Kafka.
     */
    static List<String> topics(List<JsonNode> documents) {
        List<String> violations = new ArrayList<>();
        Map<String, String> relay = env(documents, "accounts");
        int minIsr = Integer.parseInt(relay.getOrDefault("ACCOUNTS_RELAY_TOPICS_MIN_INSYNC_REPLICAS", "1"));
        Map<String, Map<String, String>> expected = new HashMap<>();
        expected.put(Topics.ACCOUNT_LOG, Topics.accountLogConfig(minIsr));
        expected.put(Topics.ACCOUNT_STATE, Topics.accountStateConfig(minIsr));
        for (JsonNode adapter : of(documents, "Deployment")) {
            if (name(adapter).endsWith("-adapter")) {
                String product = name(adapter).substring(0, name(adapter).length() - "-adapter".length());
                expected.put(Topics.deadLetter(product), Topics.deadLetterConfig());
            }
        }
        for (var topic : expected.entrySet()) {
            JsonNode declared = of(documents, "KafkaTopic").stream().filter(t -> topic.getKey()
                    .equals(t.path("spec").path("topicName").asText())).findFirst().orElse(null);
            if (declared == null) {
                violations.add("no KafkaTopic declares " + topic.getKey());
                continue;
            }
            topic.getValue().forEach((key, value) -> require(violations, "KafkaTopic " + name(declared),
                    value.equals(declared.path("spec").path("config").path(key).asText()),
                    key + " is " + declared.path("spec").path("config").path(key).asText() + ", the services' is "
                            + value));
            if (!topic.getKey().startsWith("accounts.")) {
                continue;
            }
            require(violations, "KafkaTopic " + name(declared), relay.get("ACCOUNTS_TOPIC_PARTITIONS")
                    .equals(declared.path("spec").path("partitions").asText()),
                    "partitions differ from the relay's ACCOUNTS_TOPIC_PARTITIONS");
            require(violations, "KafkaTopic " + name(declared), relay.get("ACCOUNTS_TOPIC_REPLICATION")
                    .equals(declared.path("spec").path("replicas").asText()),
                    "replicas differ from the relay's ACCOUNTS_TOPIC_REPLICATION");
        }
        Set<String> clusters = new HashSet<>();
        of(documents, "Kafka").forEach(k -> clusters.add(name(k)));
        for (String kind : List.of("KafkaTopic", "KafkaUser", "KafkaNodePool")) {
            for (JsonNode resource : of(documents, kind)) {
                require(violations, kind + " " + name(resource), clusters.contains(
                        resource.path("metadata").path("labels").path("strimzi.io/cluster").asText()),
                        "its strimzi.io/cluster label names no rendered Kafka");
            }
        }
        return violations;
    }

    /** Each adapter's KafkaUser may read the log and use its own group and dead-letter topic, and nothing else. */
    static List<String> acls(List<JsonNode> documents) {
        List<String> violations = new ArrayList<>();
        for (JsonNode user : of(documents, "KafkaUser")) {
            Set<String> granted = new TreeSet<>();
            for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                for (JsonNode operation : acl.path("operations")) {
                    granted.add(acl.path("resource").path("type").asText() + ":" + acl.path("resource").path("name")
                            .asText() + ":" + acl.path("resource").path("patternType").asText("literal") + ":"
                            + operation.asText());
                }
            }
            Set<String> expected = new TreeSet<>();
            String name = name(user);
            if (name.equals("accounts")) {
                for (String topic : List.of(Topics.ACCOUNT_LOG, Topics.ACCOUNT_STATE)) {
                    expected.addAll(List.of("topic:" + topic + ":literal:Write", "topic:" + topic + ":literal:Describe"));
                }
            } else {
                for (String topic : List.of(Topics.ACCOUNT_LOG, Topics.ACCOUNT_STATE)) {
                    expected.addAll(List.of("topic:" + topic + ":literal:Read", "topic:" + topic + ":literal:Describe"));
                }
                if (name.endsWith("-adapter")) {
                    String product = name.substring(0, name.length() - "-adapter".length());
                    for (String operation : List.of("Write", "Read", "Describe")) {
                        expected.add("topic:" + Topics.deadLetter(product) + ":literal:" + operation);
                    }
                    expected.add("group:" + Topics.consumerGroup(product) + ":literal:Read");
                    expected.add("group:" + Topics.consumerGroup(product) + ":literal:Describe");
                }
            }
            require(violations, "KafkaUser " + name, granted.equals(expected),
                    "grants " + granted + ", its job needs exactly " + expected);
        }
        return violations;
    }

    /** Every Secret a workload or cluster reads is rendered, written by an operator, or in {@code documented}. */
    static List<String> secrets(List<JsonNode> documents, Set<String> documented) {
        Set<String> available = new HashSet<>(operatorSecrets(documents));
        of(documents, "Secret").forEach(s -> available.add(name(s)));
        available.addAll(documented);
        Set<String> missing = new TreeSet<>(referencedSecrets(documents));
        missing.removeAll(available);
        return missing.stream().map(s -> "Secret " + s + " is read but neither rendered, written by an operator, "
                + "nor documented").toList();
    }

    /** The secrets the documents read, by name. */
    static Set<String> referencedSecrets(List<JsonNode> documents) {
        Set<String> names = new TreeSet<>();
        for (JsonNode document : documents) {
            document.findParents("secretKeyRef").forEach(p -> names.add(p.path("secretKeyRef").path("name").asText()));
            document.findValues("secret").stream().filter(s -> s.has("secretName"))
                    .forEach(s -> names.add(s.path("secretName").asText()));
            if ("Cluster".equals(document.path("kind").asText())) {
                document.findValues("passwordSecret").forEach(s -> names.add(s.path("name").asText()));
                names.add(document.path("spec").path("bootstrap").path("initdb").path("secret").path("name")
                        .asText());
                for (String field : List.of("accessKeyId", "secretAccessKey")) {
                    document.findValues(field).forEach(s -> names.add(s.path("name").asText()));
                }
            }
        }
        names.remove("");
        return names;
    }

    /** Every namespaced document is in the overlay's namespace. */
    static List<String> namespaces(List<JsonNode> documents, String namespace) {
        List<String> violations = new ArrayList<>();
        for (JsonNode document : documents) {
            if (!"Namespace".equals(document.path("kind").asText())) {
                require(violations, document.path("kind").asText() + " " + name(document),
                        namespace.equals(document.path("metadata").path("namespace").asText()),
                        "is not in namespace " + namespace);
            }
        }
        return violations;
    }

    static List<JsonNode> of(List<JsonNode> documents, String kind) {
        return documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    static String name(JsonNode document) {
        return document.path("metadata").path("name").asText();
    }

    /** Deployments and the CronJob's pods. */
    static List<JsonNode> workloads(List<JsonNode> documents) {
        List<JsonNode> workloads = new ArrayList<>(of(documents, "Deployment"));
        workloads.addAll(of(documents, "CronJob"));
        return workloads;
    }

    static JsonNode podTemplate(JsonNode workload) {
        return "CronJob".equals(workload.path("kind").asText())
                ? workload.path("spec").path("jobTemplate").path("spec").path("template")
                : workload.path("spec").path("template");
    }

    static JsonNode podSpec(JsonNode workload) {
        return podTemplate(workload).path("spec");
    }

    static JsonNode podLabels(JsonNode workload) {
        return podTemplate(workload).path("metadata").path("labels");
    }

    /** The literal environment of a Deployment's first container. */
    static Map<String, String> env(List<JsonNode> documents, String deployment) {
        Map<String, String> env = new HashMap<>();
        of(documents, "Deployment").stream().filter(d -> name(d).equals(deployment)).findFirst().ifPresent(d ->
                podSpec(d).path("containers").get(0).path("env").forEach(e -> {
                    if (e.has("value")) {
                        env.put(e.path("name").asText(), e.path("value").asText());
                    }
                }));
        return env;
    }

    private static JsonNode accountLog(List<JsonNode> documents) {
        return of(documents, "KafkaTopic").stream().filter(t -> Topics.ACCOUNT_LOG.equals(
                t.path("spec").path("topicName").asText())).findFirst().orElseThrow(
                        () -> new AssertionError("no KafkaTopic declares " + Topics.ACCOUNT_LOG));
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> texts = new HashSet<>();
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }

    private static void require(List<String> violations, String where, boolean holds, String otherwise) {
        if (!holds) {
            violations.add(where + ": " + otherwise);
        }
    }
}
