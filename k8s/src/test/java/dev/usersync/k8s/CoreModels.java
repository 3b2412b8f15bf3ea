package dev.usersync.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.beans.Introspector;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Kubernetes' own kinds checked against the typed model of the Kubernetes API (fabric8's, generated from the API's
 * OpenAPI document): a value of the wrong type does not read, and a field the API does not define, misspelt or under
 * the wrong parent, lands in the model's additional properties, which this walk reports with its path.
 */
final class CoreModels {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private CoreModels() {
    }

    /** What the API server would refuse in this document of a core kind; empty if nothing. */
    static List<String> violations(JsonNode document) {
        Object model;
        try {
            model = SERIALIZATION.unmarshal(document.toString());
        } catch (RuntimeException e) {
            return List.of("does not read as " + document.path("apiVersion").asText() + " "
                    + document.path("kind").asText() + ": " + rootCause(e).getMessage());
        }
        if (model instanceof GenericKubernetesResource) {
            return List.of("no schema for " + document.path("apiVersion").asText() + " "
                    + document.path("kind").asText() + " (neither a Kubernetes kind nor a CRD of k8s/crds)");
        }
        List<String> violations = new ArrayList<>();
        walk(model, "$", violations);
        return violations;
    }

    /** Unknown fields in the metadata of a custom resource (its CRD's schema leaves metadata open). */
    static List<String> metadataViolations(JsonNode document) {
        List<String> violations = new ArrayList<>();
        try {
            walk(SERIALIZATION.convertValue(document.path("metadata"), ObjectMeta.class), "$.metadata", violations);
        } catch (RuntimeException e) {
            violations.add("$.metadata does not read: " + rootCause(e).getMessage());
        }
        return violations;
    }

    private static void walk(Object value, String path, List<String> violations) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                walk(item, path + "[" + i++ + "]", violations);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> walk(item, path + "." + key, violations));
            return;
        }
        if (!(value instanceof KubernetesResource) || !value.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || !getter.getName().startsWith("get") || getter.getName().equals("getClass")) {
                continue;
            }
            Object child = invoke(getter, value);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> unknown && !unknown.isEmpty()) {
                    unknown.keySet().forEach(field -> violations.add(path + "." + field
                            + ": unknown field (the API would refuse it)"));
                }
            } else {
                walk(child, path + "." + Introspector.decapitalize(getter.getName().substring(3)), violations);
            }
        }
    }

    private static Object invoke(Method getter, Object target) {
        try {
            return getter.invoke(target);
        } catch (IllegalAccessException | InvocationTargetException e) {
            return null;
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
