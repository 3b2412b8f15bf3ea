package dev.usersync.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Custom resources checked against the {@code openAPIV3Schema} of their CRD (k8s/crds), made strict as the API server
 * is with unknown fields: every object schema that lists its properties, and neither keeps unknown fields nor
 * declares additional ones, refuses any other property. What only a cluster checks (CEL rules, webhooks) is not
 * checked here.
 */
final class CrdSchemas {

    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);
    private static final Map<String, JsonSchema> SCHEMAS = load(Overlay.K8S.resolve("crds"));

    private CrdSchemas() {
    }

    /** Whether a CRD of k8s/crds defines this document's apiVersion and kind. */
    static boolean defines(JsonNode document) {
        return SCHEMAS.containsKey(key(document.path("apiVersion").asText(), document.path("kind").asText()));
    }

    /** What the API server would refuse in this custom resource; empty if nothing. */
    static List<String> violations(JsonNode document) {
        JsonSchema schema = SCHEMAS.get(key(document.path("apiVersion").asText(), document.path("kind").asText()));
        return schema.validate(document).stream().map(ValidationMessage::getMessage).sorted().toList();
    }

    private static String key(String apiVersion, String kind) {
        return apiVersion + "/" + kind;
    }

    private static Map<String, JsonSchema> load(Path directory) {
        Map<String, JsonSchema> schemas = new HashMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).toList()) {
                try (var parser = Overlay.YAML.getFactory().createParser(file.toFile())) {
                    Iterator<JsonNode> documents = Overlay.YAML.readValues(parser, JsonNode.class);
                    while (documents.hasNext()) {
                        JsonNode crd = documents.next();
                        if (!"CustomResourceDefinition".equals(crd.path("kind").asText())) {
                            continue;
                        }
                        String group = crd.path("spec").path("group").asText();
                        String kind = crd.path("spec").path("names").path("kind").asText();
                        for (JsonNode version : crd.path("spec").path("versions")) {
                            if (version.path("served").asBoolean()) {
                                JsonNode schema = strict(version.path("schema").path("openAPIV3Schema").deepCopy(),
                                        false);
                                schemas.put(key(group + "/" + version.path("name").asText(), kind),
                                        FACTORY.getSchema(schema));
                            }
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (schemas.isEmpty()) {
            throw new IllegalStateException("no CRD found in " + directory);
        }
        return schemas;
    }

    /**
     * The OpenAPI schema as a JSON Schema the validator reads: int-or-string and nullable spelt out, Kubernetes'
     * extensions and formats dropped, and unknown properties refused where the API server refuses them. A
     * schema directly under allOf/anyOf/oneOf/not only adds constraints to its parent: it refuses nothing itself.
     */
    private static JsonNode strict(JsonNode node, boolean combined) {
        if (!(node instanceof ObjectNode schema)) {
            return node;
        }
        boolean preserve = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            ArrayNode anyOf = schema.putArray("anyOf");
            anyOf.addObject().put("type", "integer");
            anyOf.addObject().put("type", "string");
            schema.remove("type");
        }
        if (schema.path("nullable").asBoolean(false) && schema.has("type")) {
            ArrayNode types = JsonNodeFactory.instance.arrayNode().add(schema.get("type").asText()).add("null");
            schema.set("type", types);
        }
        schema.remove(List.of("nullable", "format", "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields",
                "x-kubernetes-validations", "x-kubernetes-list-type", "x-kubernetes-list-map-keys",
                "x-kubernetes-map-type", "x-kubernetes-embedded-resource"));
        if (schema.has("properties")) {
            schema.get("properties").properties().forEach(p -> strict(p.getValue(), false));
            if (!preserve && !combined && !schema.has("additionalProperties")) {
                schema.put("additionalProperties", false);
            }
        }
        if (schema.has("items")) {
            strict(schema.get("items"), false);
        }
        if (schema.get("additionalProperties") instanceof ObjectNode additional) {
            strict(additional, false);
        }
        for (String combinator : List.of("allOf", "anyOf", "oneOf")) {
            schema.path(combinator).forEach(s -> strict(s, true));
        }
        if (schema.has("not")) {
            strict(schema.get("not"), true);
        }
        return schema;
    }
}
