package dev.usersync.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An overlay of {@code k8s/overlays}, rendered by {@code kubectl kustomize} from a copy of {@code k8s/} under
 * {@code target/} (the dev overlay's secrets generated there by its own script), as documents.
 */
record Overlay(String name, List<JsonNode> documents) {

    static final ObjectMapper YAML = new YAMLMapper();
    static final Path K8S = Paths.get("").toAbsolutePath();
    private static final Map<String, Overlay> RENDERED = new ConcurrentHashMap<>();

    static Overlay dev() {
        return of("dev");
    }

    static Overlay prod() {
        return of("prod");
    }

    static Overlay of(String name) {
        return RENDERED.computeIfAbsent(name, Overlay::render);
    }

    /** The same overlay with other documents, to check that a validator notices a broken manifest. */
    Overlay with(List<JsonNode> changed) {
        return new Overlay(name, changed);
    }

    /** A deep copy of the documents, to break one. */
    List<JsonNode> copy() {
        return documents.stream().map(d -> (JsonNode) d.deepCopy()).toList();
    }

    /** The namespace the overlay puts everything in. */
    String namespace() {
        return kind("Namespace").get(0).path("metadata").path("name").asText();
    }

    List<JsonNode> kind(String kind) {
        return documents.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
    }

    JsonNode named(String kind, String name) {
        return kind(kind).stream().filter(d -> name.equals(d.path("metadata").path("name").asText())).findFirst()
                .orElseThrow(() -> new AssertionError(this.name + " renders no " + kind + " " + name));
    }

    private static Overlay render(String name) {
        try {
            Path copy = Files.createDirectories(Paths.get("target", "k8s-render"));
            copyTree(K8S.resolve("base"), copy.resolve("base"));
            copyTree(K8S.resolve("overlays"), copy.resolve("overlays"));
            Path overlay = copy.resolve("overlays").resolve(name);
            if (Files.exists(overlay.resolve("generate-secrets"))) {
                run(List.of("bash", overlay.resolve("generate-secrets").toString(), overlay.toString()));
            }
            String rendered = run(kustomize(overlay));
            List<JsonNode> documents = new ArrayList<>();
            try (var parser = new YAMLFactory().createParser(rendered)) {
                var it = YAML.readValues(parser, JsonNode.class);
                while (it.hasNext()) {
                    JsonNode document = it.next();
                    if (document instanceof ObjectNode) {
                        documents.add(document);
                    }
                }
            }
            return new Overlay(name, List.copyOf(documents));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code kubectl kustomize <overlay>}, or {@code kustomize build <overlay>} where only kustomize is at hand. */
    private static List<String> kustomize(Path overlay) {
        Path kubectl = onPath("kubectl");
        if (kubectl != null) {
            return List.of(kubectl.toString(), "kustomize", overlay.toString());
        }
        Path kustomize = onPath("kustomize");
        if (kustomize != null) {
            return List.of(kustomize.toString(), "build", overlay.toString());
        }
        throw new IllegalStateException("neither kubectl nor kustomize is on the PATH: the k8s module renders every "
                + "overlay with `kubectl kustomize` (kubectl 1.27 or later) or `kustomize build` (4.5 or later), both "
                + "offline. Install one (.ci/run fetches kustomize when both are missing), or skip this module with "
                + "`./mvnw verify -pl '!k8s'`.");
    }

    private static Path onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Paths.get(dir, command))) {
                return Paths.get(dir, command);
            }
        }
        return null;
    }

    private static String run(List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return output;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : (Iterable<Path>) paths::iterator) {
                Path target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else if (!from.relativize(path).startsWith("dev/secrets")) { // a developer's own secrets stay
                    Files.copy(path, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
