package dev.usersync.servers;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;

/**
 * An Apache Kafka broker in KRaft mode (one combined broker and controller) from the Kafka jars. It keeps its address
 * and data across {@link #stop()} and {@link #start()}, as a broker that went away and came back. Topics are never
 * created automatically: the services create theirs.
 */
public final class LocalKafka implements AutoCloseable {

    private final Path logDirectory;
    private final String clusterId;
    private final int port;
    private final int controllerPort;
    private EmbeddedKafkaBroker broker;

    public LocalKafka(Path logDirectory, String clusterId, int port, int controllerPort) {
        this.logDirectory = logDirectory;
        this.clusterId = clusterId;
        this.port = port == 0 ? freePort() : port;
        this.controllerPort = controllerPort == 0 ? freePort() : controllerPort;
    }

    public synchronized LocalKafka start() {
        if (broker == null) {
            broker = new EmbeddedKafkaBroker()
                    .withKafkaPort(port)
                    .withControllerPort(controllerPort)
                    .withClusterId(clusterId)
                    .withDeleteLogDirsOnClose(false)
                    .withAdditionalProperties(properties -> {
                        properties.put("log.dir", logDirectory.toString());
                        properties.put("auto.create.topics.enable", "false");
                        properties.put("num.partitions", "3");
                    })
                    .start();
        }
        return this;
    }

    public synchronized void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
    }

    public String bootstrapServers() {
        return "localhost:" + port;
    }

    @Override
    public void close() {
        stop();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
