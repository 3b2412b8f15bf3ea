package dev.usersync.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.testcontainers.DockerClientFactory;

/**
 * Where the test servers come from: started in-process from Maven-packaged binaries and jars, or as containers
 * where a container engine answers. Chosen by the system property {@value #PROPERTY} (or the environment variable
 * {@code MESH_TEST_SERVERS}): {@code embedded}, {@code containers}, or {@code auto} (the default), which uses
 * containers only when an engine is reachable.
 */
public enum ServerMode {
    EMBEDDED,
    CONTAINERS;

    public static final String PROPERTY = "mesh.test.servers";

    private static volatile ServerMode current;

    public static ServerMode current() {
        if (current == null) {
            synchronized (ServerMode.class) {
                if (current == null) {
                    current = decide();
                }
            }
        }
        return current;
    }

    private static ServerMode decide() {
        String wanted = System.getProperty(PROPERTY, System.getenv().getOrDefault("MESH_TEST_SERVERS", "auto"))
                .trim().toLowerCase(Locale.ROOT);
        return switch (wanted) {
            case "embedded" -> EMBEDDED;
            case "containers" -> CONTAINERS;
            case "auto" -> containerEngineAnswers() ? CONTAINERS : EMBEDDED;
            default -> throw new IllegalArgumentException(
                    PROPERTY + " must be embedded, containers or auto, was '" + wanted + "'");
        };
    }

    /**
     * Asks Testcontainers only where an engine could plausibly be configured: its discovery tries several
     * strategies and logs each failure, which is noise on machines that have no engine at all.
     */
    private static boolean containerEngineAnswers() {
        Path home = Path.of(System.getProperty("user.home"));
        boolean configured = System.getenv("DOCKER_HOST") != null
                || Files.exists(Path.of("/var/run/docker.sock"))
                || Files.exists(home.resolve(".docker/run/docker.sock"))
                || Files.exists(home.resolve(".testcontainers.properties"));
        if (!configured) {
            return false;
        }
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }
}
