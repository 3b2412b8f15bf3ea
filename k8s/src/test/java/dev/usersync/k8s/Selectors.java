package dev.usersync.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.Set;

/** Kubernetes label selectors, as the API server matches them. */
final class Selectors {

    private Selectors() {
    }

    /** A LabelSelector ({@code matchLabels}, {@code matchExpressions}) against labels; an empty one selects all. */
    static boolean matches(JsonNode selector, JsonNode labels) {
        if (!matchesLabels(selector.path("matchLabels"), labels)) {
            return false;
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String key = expression.path("key").asText();
            Set<String> values = new HashSet<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            boolean has = labels.has(key);
            boolean holds = switch (expression.path("operator").asText()) {
                case "In" -> has && values.contains(labels.path(key).asText());
                case "NotIn" -> !has || !values.contains(labels.path(key).asText());
                case "Exists" -> has;
                case "DoesNotExist" -> !has;
                default -> throw new IllegalArgumentException("operator " + expression.path("operator"));
            };
            if (!holds) {
                return false;
            }
        }
        return true;
    }

    /** A plain map selector (a Service's {@code selector}, {@code matchLabels}) against labels. */
    static boolean matchesLabels(JsonNode selector, JsonNode labels) {
        var fields = selector.properties().iterator();
        while (fields.hasNext()) {
            var field = fields.next();
            if (!field.getValue().asText().equals(labels.path(field.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }
}
