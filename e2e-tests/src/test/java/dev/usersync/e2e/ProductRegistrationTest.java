package dev.usersync.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usersync.servers.LocalMesh;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * Every product module of the root POM is registered wherever README's "Adding a product adapter" says, so a step
 * forgotten fails here, in {@code ./mvnw test}, naming the file to edit, rather than as a product the accounts
 * service refuses, the auditor cannot rebuild, or a cluster without its adapter.
 */
class ProductRegistrationTest {

    private static final Path ROOT = RunningMesh.ROOT;

    @Test
    void everyProductModuleIsRegisteredEverywhereTheChecklistSays() {
        List<String> products = LocalMesh.products(ROOT);
        assertThat(products).as("the root POM's <product>-adapter modules").contains("track", "plan", "work");

        List<String> missing = new ArrayList<>();
        for (String product : products) {
            String adapter = LocalMesh.adapter(product);
            Map<String, Predicate<String>> places = Map.ofEntries(
                    Map.entry(adapter + "/src/main/resources/application.properties",
                            text -> text.contains("adapter.product=" + product + "\n")),
                    Map.entry(adapter + "/src/main/resources/META-INF/services/"
                            + "dev.usersync.adapter.sync.ProductProjection", text -> !text.isBlank()),
                    Map.entry("accounts-service/src/main/resources/application.properties",
                            text -> text.lines().anyMatch(line -> line.startsWith("accounts.products=")
                                    && List.of(line.substring(line.indexOf('=') + 1).split(",")).contains(product))),
                    Map.entry("auditor/pom.xml", text -> text.contains("<artifactId>" + adapter + "</artifactId>")),
                    Map.entry("auditor/src/main/resources/application.properties",
                            text -> text.contains("removed-resources.\"dev.usersync\\:" + adapter
                                    + "\"=application.properties")),
                    Map.entry("e2e-tests/pom.xml", text -> text.contains("<artifactId>" + adapter + "</artifactId>")),
                    Map.entry("k8s/base/kustomization.yaml", text -> text.contains("services/" + adapter + ".yaml")
                            && text.contains("postgres/" + product + "-db.yaml")),
                    Map.entry("k8s/base/kafka/users.yaml", text -> text.contains("name: " + adapter + "\n")),
                    Map.entry("k8s/base/kafka/topics.yaml", text -> text.contains("topicName: " + adapter
                            + ".dead-letter")),
                    Map.entry("k8s/overlays/prod/kustomization.yaml", text -> text.contains("usersync/" + adapter)),
                    Map.entry("k8s/overlays/dev/kustomization.yaml", text -> text.contains("usersync/" + adapter)),
                    Map.entry("deploy/docker-compose.yml", text -> text.contains("\n  " + adapter + ":")),
                    Map.entry("deploy/docker/create-databases.sql",
                            text -> text.contains("CREATE DATABASE " + product + ";")));
            places.forEach((file, registered) -> {
                if (!registered.test(read(file))) {
                    missing.add(product + ": " + file);
                }
            });
        }
        assertThat(missing).as("products not registered where README's \"Adding a product adapter\" says").isEmpty();
    }

    private static String read(String file) {
        try {
            Path path = ROOT.resolve(file);
            return Files.exists(path) ? Files.readString(path) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
