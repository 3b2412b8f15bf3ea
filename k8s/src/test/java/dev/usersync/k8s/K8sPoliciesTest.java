package dev.usersync.k8s;

import static dev.usersync.k8s.K8sManifestsTest.container;
import static dev.usersync.k8s.K8sManifestsTest.spec;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.usersync.k8s.NetworkPolicies.Peer;
import dev.usersync.servers.LocalMesh;
import dev.usersync.servers.ServiceProcess;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The mesh's own rules over each rendered overlay, and proof that each rule notices when it is broken. */
class K8sPoliciesTest {

    /** The products of the repository (the root POM's {@code <product>-adapter} modules): each deployed alike. */
    private static final List<String> PRODUCTS = LocalMesh.products(Overlay.K8S.getParent());
    private static final List<String> ADAPTERS = PRODUCTS.stream().map(LocalMesh::adapter).toList();
    private static final List<String> DATABASES = Stream.concat(Stream.of("accounts"), PRODUCTS.stream())
            .map(name -> name + "-db").toList();

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void podsAreHardenedAndSizedAndProbed(String name) {
        List<JsonNode> documents = Overlay.of(name).documents();
        assertThat(Policies.podHardening(documents)).isEmpty();
        assertThat(Policies.probes(documents)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void budgetsAutoscalersMonitorsAndServicesSelectWhatExists(String name) {
        assertThat(Policies.selectors(Overlay.of(name).documents())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void topicsAreThoseTheServicesWouldCreateAndPrincipalsMayDoOnlyTheirJob(String name) {
        List<JsonNode> documents = Overlay.of(name).documents();
        assertThat(Policies.topics(documents)).isEmpty();
        assertThat(Policies.acls(documents)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everythingIsInTheOverlaysNamespace(String name) {
        Overlay overlay = Overlay.of(name);
        assertThat(Policies.namespaces(overlay.documents(), overlay.namespace())).isEmpty();
    }

    @Test
    void devGeneratesEverySecretItReads() {
        assertThat(Policies.secrets(Overlay.dev().documents(), Set.of())).isEmpty();
    }

    @Test
    void prodReadsExactlyTheSecretsTheReadmeTellsYouToCreate() throws IOException {
        Set<String> documented = documentedSecrets();
        assertThat(Policies.secrets(Overlay.prod().documents(), documented)).isEmpty();
        assertThat(Policies.referencedSecrets(Overlay.prod().documents())).containsAll(documented);
    }

    @Test
    void imagesAreTaggedWithTheProjectVersion() {
        String version = System.getProperty("project.version");
        assertThat(version).isNotBlank();
        for (String overlay : List.of("dev", "prod")) {
            for (JsonNode workload : Policies.workloads(Overlay.of(overlay).documents())) {
                Policies.podSpec(workload).path("containers").forEach(c ->
                        assertThat(c.path("image").asText()).as(overlay + " " + Policies.name(workload))
                                .endsWith(":" + version));
            }
        }
    }

    @Test
    void servicesRunWithTheJvmSettingsTheyWereMeasuredWith() {
        for (String overlay : List.of("dev", "prod")) {
            JsonNode config = Policies.of(Overlay.of(overlay).documents(), "ConfigMap").stream()
                    .filter(c -> Policies.name(c).startsWith("mesh-config-")).findFirst().orElseThrow();
            assertThat(config.path("data").path("JAVA_TOOL_OPTIONS").asText()).as(overlay)
                    .isEqualTo(String.join(" ", ServiceProcess.JVM_OPTIONS));
        }
    }

    @Test
    void theAuditorsKafkaClientReadsItsCredentialsFromTheMountedKafkaUserSecret(@TempDir Path secret)
            throws IOException {
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"auditor\" "
                + "password=\"from-the-secret\";";
        Files.writeString(secret.resolve("sasl.jaas.config"), jaas);
        JsonNode config = Overlay.prod().named("ConfigMap", "auditor-kafka");
        Properties properties = new Properties();
        properties.load(new StringReader(config.path("data").path("kafka.properties").asText()
                .replace("/etc/kafka-user", secret.toString())));
        properties.put("bootstrap.servers", "mesh-kafka-bootstrap:9093");
        properties.put("key.deserializer", ByteArrayDeserializer.class.getName());
        properties.put("value.deserializer", ByteArrayDeserializer.class.getName());

        ConsumerConfig resolved = new ConsumerConfig(properties);

        assertThat(resolved.getPassword("sasl.jaas.config").value()).isEqualTo(jaas);
        assertThat(resolved.getString("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(resolved.getString("ssl.truststore.type")).isEqualTo("PEM");
    }

    @Test
    void everyAlertHasASeverityASummaryAndARunbookSection() throws IOException {
        String readme = Files.readString(Overlay.K8S.resolve("README.md"));
        for (JsonNode rule : Overlay.prod().named("PrometheusRule", "user-sync-mesh").findValues("rules").stream()
                .flatMap(rules -> java.util.stream.StreamSupport.stream(rules.spliterator(), false)).toList()) {
            String alert = rule.path("alert").asText();
            assertThat(rule.path("labels").path("severity").asText()).as(alert).isIn("warning", "critical");
            assertThat(rule.path("annotations").path("summary").asText()).as(alert).isNotBlank();
            assertThat(rule.path("annotations").path("runbook_url").asText()).as(alert)
                    .endsWith("k8s/README.md#" + alert.toLowerCase(java.util.Locale.ROOT));
            assertThat(readme).as("k8s/README.md has a section for " + alert).contains("\n### " + alert + "\n");
        }
    }

    @Test
    void prodTrustsTheIngressForClientAddresses() {
        JsonNode config = Policies.of(Overlay.prod().documents(), "ConfigMap").stream()
                .filter(c -> Policies.name(c).startsWith("mesh-config-")).findFirst().orElseThrow();
        assertThat(config.path("data").path("ACCOUNTS_TRUSTED_PROXIES").asText()).isNotBlank();
    }

    @Test
    void alertsAndTheDashboardQueryMetricsThatExist() throws IOException {
        Overlay prod = Overlay.prod();
        Set<String> exported = Metrics.exported(prod.named("ConfigMap", "postgres-logical-slots"));
        List<String> expressions = new ArrayList<>(prod.named("PrometheusRule", "user-sync-mesh").findValuesAsText("expr"));
        JsonNode dashboard = Overlay.YAML.readTree(Policies.of(prod.documents(), "ConfigMap").stream()
                .filter(c -> Policies.name(c).startsWith("grafana-dashboard-")).findFirst().orElseThrow()
                .path("data").path("grafana-dashboard.json").asText());
        expressions.addAll(dashboard.findValuesAsText("expr"));
        assertThat(expressions).hasSizeGreaterThan(20);
        for (String expression : expressions) {
            assertThat(Metrics.named(expression)).as(expression).allMatch(exported::contains);
        }
        assertThat(Metrics.named("rate(adapter_events_aplied_total[5m])")).doesNotContainAnyElementsOf(exported);
    }

    @Test
    void prodRunsEverythingRedundantly() {
        List<JsonNode> documents = Overlay.prod().documents();
        Policies.of(documents, "Deployment").forEach(d -> assertThat(d.path("spec").path("replicas").asInt())
                .as(Policies.name(d)).isGreaterThanOrEqualTo(2));
        Policies.of(documents, "Cluster").forEach(c -> {
            assertThat(c.path("spec").path("instances").asInt()).as(Policies.name(c)).isEqualTo(3);
            assertThat(c.path("spec").path("backup").path("barmanObjectStore").path("destinationPath").asText())
                    .as(Policies.name(c)).isNotBlank();
        });
        assertThat(Policies.of(documents, "KafkaNodePool")).allMatch(p -> p.path("spec").path("replicas").asInt() == 3);
        assertThat(Policies.of(documents, "KafkaTopic")).allMatch(t -> t.path("spec").path("replicas").asInt() == 3
                && t.path("spec").path("config").path("min.insync.replicas").asInt() == 2);
        assertThat(Policies.of(documents, "HorizontalPodAutoscaler")).extracting(
                h -> h.path("spec").path("scaleTargetRef").path("name").asText())
                .containsExactlyInAnyOrderElementsOf(ADAPTERS);
    }

    @Test
    void theRelaysSlotFollowsAFailover() {
        for (String overlay : List.of("dev", "prod")) {
            JsonNode spec = Overlay.of(overlay).named("Cluster", "accounts-db").path("spec");
            assertThat(spec.path("replicationSlots").path("highAvailability").path("synchronizeLogicalDecoding")
                    .asBoolean()).isTrue();
            assertThat(spec.path("postgresql").path("parameters").path("sync_replication_slots").asText())
                    .isEqualTo("on");
            assertThat(spec.path("postgresql").path("parameters").path("hot_standby_feedback").asText())
                    .isEqualTo("on");
            assertThat(spec.path("imageName").asText()).contains(":17");
            assertThat(spec.path("managed").path("roles").get(0).path("replication").asBoolean()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void networkPoliciesAllowTheArchitecturesFlowsAndNothingElse(String name) {
        Overlay overlay = Overlay.of(name);
        assertThat(closedFlows(overlay.documents(), overlay.namespace())).isEmpty();
        assertThat(openedFlows(overlay.documents(), overlay.namespace())).isEmpty();
    }

    // --- each rule notices when it is broken ------------------------------------------------------------------------

    @Test
    void aMissingProbeIsNoticed() {
        List<JsonNode> documents = Overlay.dev().copy();
        container(documents, "Deployment", "track-adapter").remove("readinessProbe");
        assertThat(Policies.probes(documents)).containsExactly(
                "Deployment track-adapter: readinessProbe is not an HTTP GET of /q/health/ready on port http");
    }

    @Test
    void aWritableRootOrMissingLimitIsNoticed() {
        List<JsonNode> documents = Overlay.dev().copy();
        ((ObjectNode) container(documents, "Deployment", "accounts").get("securityContext"))
                .put("readOnlyRootFilesystem", false);
        ((ObjectNode) container(documents, "Deployment", "plan-adapter").get("resources")).remove("limits");
        assertThat(Policies.podHardening(documents)).containsExactlyInAnyOrder(
                "Deployment accounts: the root filesystem is writable",
                "Deployment plan-adapter: requests (cpu, memory) and a memory limit are not all set");
    }

    @Test
    void aBudgetOrAutoscalerPointingNowhereIsNoticed() {
        List<JsonNode> documents = Overlay.prod().copy();
        ((ObjectNode) spec(documents, "PodDisruptionBudget", "accounts").get("selector").get("matchLabels"))
                .put("app.kubernetes.io/name", "acounts");
        spec(documents, "HorizontalPodAutoscaler", "plan-adapter").put("maxReplicas", 12);
        assertThat(Policies.selectors(documents)).contains(
                "PodDisruptionBudget accounts: selects the pods of 0 Deployments, not one",
                "Deployment accounts: has no PodDisruptionBudget",
                "HorizontalPodAutoscaler plan-adapter: may scale beyond the 6 partitions of the account log");
    }

    @Test
    void aTopicUnlikeTheServicesIsNoticed() {
        List<JsonNode> documents = Overlay.dev().copy();
        spec(documents, "KafkaTopic", "accounts-events").put("partitions", 12);
        ((ObjectNode) spec(documents, "KafkaTopic", "accounts-state").get("config")).put("cleanup.policy", "delete");
        assertThat(Policies.topics(documents)).containsExactlyInAnyOrder(
                "KafkaTopic accounts-events: partitions differ from the relay's ACCOUNTS_TOPIC_PARTITIONS",
                "KafkaTopic accounts-state: cleanup.policy is delete, the services' is compact");
    }

    @Test
    void anAclBeyondAPrincipalsJobIsNoticed() {
        List<JsonNode> documents = Overlay.dev().copy();
        ((ObjectNode) spec(documents, "KafkaUser", "track-adapter").get("authorization").get("acls").get(0)
                .get("resource")).put("name", "accounts.").put("patternType", "prefix");
        assertThat(Policies.acls(documents)).singleElement().asString().startsWith("KafkaUser track-adapter: grants");
    }

    @Test
    void aMissingOrExtraFlowIsNoticed() {
        List<JsonNode> documents = Overlay.dev().copy();
        String namespace = Overlay.dev().namespace();
        // The Track adapter may no longer reach its database, and may now reach the accounts database.
        ((ObjectNode) spec(documents, "NetworkPolicy", "track-adapter").get("egress").get(0).get("to").get(0)
                .get("podSelector").get("matchLabels")).put("cnpg.io/cluster", "accounts-db");
        ((ObjectNode) spec(documents, "NetworkPolicy", "accounts-db").withArray("ingress").get(1).get("from").get(0)
                .get("podSelector")).putObject("matchLabels");
        assertThat(closedFlows(documents, namespace)).contains("track-adapter -> track-db:5432");
        assertThat(openedFlows(documents, namespace)).contains("track-adapter -> accounts-db:5432");
    }

    // --- the flows of the architecture ------------------------------------------------------------------------------

    private record Flow(Peer from, Peer to, int port) {
        @Override
        public String toString() {
            return from.name() + " -> " + to.name() + ":" + port;
        }
    }

    private static Map<String, Peer> peers(List<JsonNode> documents, String namespace) {
        Map<String, Peer> peers = new java.util.HashMap<>();
        for (JsonNode workload : Policies.workloads(documents)) {
            String app = Policies.podLabels(workload).path("app.kubernetes.io/name").asText();
            peers.put(app, Peer.pod(app, namespace, Policies.podLabels(workload)));
        }
        for (JsonNode cluster : Policies.of(documents, "Cluster")) {
            peers.put(Policies.name(cluster), Peer.pod(Policies.name(cluster), namespace,
                    Map.of("cnpg.io/cluster", Policies.name(cluster), "cnpg.io/podRole", "instance")));
        }
        peers.put("kafka", Peer.pod("kafka", namespace, Map.of("strimzi.io/cluster", "mesh", "strimzi.io/kind",
                "Kafka", "strimzi.io/broker-role", "true", "strimzi.io/pool-name", "dual-role")));
        peers.put("ingress", Peer.pod("ingress", "ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx")));
        peers.put("prometheus", Peer.pod("prometheus", "monitoring", Map.of("app.kubernetes.io/name", "prometheus")));
        peers.put("otel-collector", Peer.pod("otel-collector", "monitoring", Map.of("app.kubernetes.io/name",
                "opentelemetry-collector")));
        peers.put("dns", Peer.pod("dns", "kube-system", Map.of("k8s-app", "kube-dns")));
        peers.put("cnpg-operator", Peer.pod("cnpg-operator", "cnpg-system", Map.of("app.kubernetes.io/name",
                "cloudnative-pg")));
        peers.put("smtp", Peer.outside("smtp", "203.0.113.25"));
        peers.put("internet", Peer.outside("internet", "198.51.100.7"));
        peers.put("grafana", Peer.pod("grafana", "monitoring", Map.of("app.kubernetes.io/name", "grafana")));
        return peers;
    }

    /** Flows of the architecture the policies refuse. */
    private static List<String> closedFlows(List<JsonNode> documents, String namespace) {
        Map<String, Peer> p = peers(documents, namespace);
        assertThat(p).as("every product's adapter and database is deployed").containsKeys(
                Stream.concat(ADAPTERS.stream(), DATABASES.stream()).toArray(String[]::new));
        List<Flow> needed = new ArrayList<>();
        for (String service : Stream.concat(Stream.of("accounts"), ADAPTERS.stream()).toList()) {
            needed.add(new Flow(p.get("ingress"), p.get(service), 8080));
            needed.add(new Flow(p.get("prometheus"), p.get(service), 8080));
            needed.add(new Flow(p.get(service), p.get("kafka"), 9093));
            needed.add(new Flow(p.get(service), p.get("dns"), 53));
            needed.add(new Flow(p.get(service), p.get("otel-collector"), 4317));
        }
        needed.add(new Flow(p.get("accounts"), p.get("accounts-db"), 5432));
        needed.add(new Flow(p.get("accounts"), p.get("smtp"), 587));
        for (String product : PRODUCTS) {
            needed.add(new Flow(p.get(product + "-adapter"), p.get(product + "-db"), 5432));
            needed.add(new Flow(p.get(product + "-adapter"), p.get("accounts"), 8080));
        }
        needed.add(new Flow(p.get("auditor"), p.get("kafka"), 9093));
        needed.add(new Flow(p.get("auditor"), p.get("accounts"), 8080));
        needed.add(new Flow(p.get("auditor"), p.get("dns"), 53));
        for (String db : DATABASES) {
            needed.add(new Flow(p.get(db), p.get(db), 5432));
            needed.add(new Flow(p.get("cnpg-operator"), p.get(db), 8000));
            needed.add(new Flow(p.get("prometheus"), p.get(db), 9187));
        }
        needed.add(new Flow(p.get("kafka"), p.get("kafka"), 9091));
        NetworkPolicies policies = new NetworkPolicies(documents);
        return needed.stream().filter(f -> !policies.allows(f.from(), f.to(), f.port())).map(Flow::toString)
                .toList();
    }

    /** Flows outside the architecture the policies let through. */
    private static List<String> openedFlows(List<JsonNode> documents, String namespace) {
        Map<String, Peer> p = peers(documents, namespace);
        List<Flow> refused = new ArrayList<>();
        for (String db : DATABASES) {
            for (String other : Stream.of(List.of("accounts", "auditor", "ingress"), ADAPTERS).flatMap(List::stream)
                    .toList()) {
                if (!db.equals(other.replace("-adapter", "") + "-db")) {
                    refused.add(new Flow(p.get(other), p.get(db), 5432));
                }
            }
        }
        refused.add(new Flow(p.get("ingress"), p.get("kafka"), 9093));
        for (String adapter : ADAPTERS) {
            for (String other : ADAPTERS) {
                if (!adapter.equals(other)) {
                    refused.add(new Flow(p.get(adapter), p.get(other), 8080));
                }
            }
        }
        refused.add(new Flow(p.get("ingress"), p.get("accounts"), 5005));
        for (String service : Stream.concat(ADAPTERS.stream(), Stream.of("auditor")).toList()) {
            refused.add(new Flow(p.get(service), p.get("smtp"), 587));
        }
        refused.add(new Flow(p.get("accounts-db"), p.get("kafka"), 9093));
        refused.add(new Flow(p.get("auditor"), p.get("otel-collector"), 4317));
        refused.add(new Flow(p.get("kafka"), p.get("internet"), 443));
        refused.add(new Flow(p.get("accounts"), p.get("internet"), 443));
        refused.add(new Flow(p.get("grafana"), p.get("accounts"), 8080));
        refused.add(new Flow(p.get("kafka"), p.get("otel-collector"), 4317));
        NetworkPolicies policies = new NetworkPolicies(documents);
        return refused.stream().filter(f -> policies.allows(f.from(), f.to(), f.port())).map(Flow::toString)
                .toList();
    }

    /** The Secret names in the table under "### Secrets" in k8s/README.md. */
    private static Set<String> documentedSecrets() throws IOException {
        String readme = Files.readString(Overlay.K8S.resolve("README.md"));
        int start = readme.indexOf("### Secrets");
        assertThat(start).as("k8s/README.md has a section ### Secrets").isNotNegative();
        String section = readme.substring(start, readme.indexOf("\n## ", start) < 0 ? readme.length()
                : readme.indexOf("\n## ", start));
        Set<String> names = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\| `([a-z0-9-]+)` \\|").matcher(section);
        while (row.find()) {
            names.add(row.group(1));
        }
        return names;
    }
}
