package dev.usersync.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Which metrics exist, for checking that alerts and dashboards query no metric nobody exports. */
final class Metrics {

    /** Metrics of the infrastructure: CloudNativePG's default exporter queries and kube-state-metrics. */
    private static final Set<String> INFRASTRUCTURE = Set.of("cnpg_pg_replication_in_recovery",
            "cnpg_pg_replication_lag", "cnpg_collector_up", "kube_job_failed",
            "kube_cronjob_status_last_successful_time", "jvm_memory_used_bytes", "process_cpu_usage",
            "jvm_gc_pause_seconds_sum", "jvm_gc_pause_seconds_count", "http_server_requests_seconds_count",
            "http_server_requests_seconds_sum");

    /** What Micrometer's Prometheus registry appends to a meter's name. */
    private static final List<String> SUFFIXES = List.of("_total", "_seconds_bucket", "_seconds_count",
            "_seconds_sum", "_seconds_max", "_seconds", "_bytes");

    private static final Pattern METER = Pattern.compile("(?:Gauge|Counter|Timer)\\.builder\\(\\s*\"([a-z.]+)\"");
    private static final Set<String> FUNCTIONS = Set.of("histogram_quantile", "group_left", "group_right",
            "label_replace", "count_over_time", "max_over_time", "min_over_time", "avg_over_time");

    private Metrics() {
    }

    /**
     * The metrics that exist: every meter the services register (in their sources), the custom PostgreSQL query's
     * (as CloudNativePG's exporter names them: {@code cnpg_<query>_<column>}), and the infrastructure's.
     */
    static Set<String> exported(JsonNode slotQueries) throws IOException {
        Set<String> meters = new HashSet<>();
        for (String module : List.of("accounts-service", "outbox-relay", "adapter-core")) {
            try (Stream<Path> sources = Files.walk(Overlay.K8S.resolveSibling(module).resolve("src/main/java"))) {
                for (Path source : sources.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher meter = METER.matcher(Files.readString(source));
                    while (meter.find()) {
                        meters.add(meter.group(1).replace('.', '_'));
                    }
                }
            }
        }
        Set<String> exported = new TreeSet<>(INFRASTRUCTURE);
        for (String meter : meters) {
            exported.add(meter);
            SUFFIXES.forEach(suffix -> exported.add(meter + suffix));
        }
        JsonNode queries = Overlay.YAML.readTree(slotQueries.path("data").path("queries.yaml").asText());
        queries.properties().forEach(query -> query.getValue().path("metrics").forEach(column -> column.properties()
                .forEach(c -> {
                    if (!"LABEL".equals(c.getValue().path("usage").asText())) {
                        exported.add("cnpg_" + query.getKey() + "_" + c.getKey());
                    }
                })));
        return exported;
    }

    /** The metric names a PromQL expression reads (label names, functions and keywords left out). */
    static Set<String> named(String expression) {
        String bare = expression.replaceAll("\\{[^}]*\\}", "") // selectors
                .replaceAll("\\[[^]]*\\]", "") // ranges
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", "") // label lists
                .replaceAll("\"[^\"]*\"", ""); // strings
        Set<String> names = new TreeSet<>();
        Matcher identifier = Pattern.compile("\\b[a-zA-Z_][a-zA-Z0-9_:]*\\b").matcher(bare);
        while (identifier.find()) {
            String name = identifier.group();
            if (name.contains("_") && !FUNCTIONS.contains(name) && !name.startsWith("__")) {
                names.add(name);
            }
        }
        return names;
    }
}
