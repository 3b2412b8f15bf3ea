package dev.usersync.testsupport;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.Uuid;
import org.jboss.logging.Logger;
import org.testcontainers.kafka.KafkaContainer;

/**
 * One real Apache Kafka broker (KRaft mode, a single combined broker and controller) per test JVM: in-process from
 * the Kafka jars on the classpath, or a container where an engine answers. Fault tests {@link #stop()} and
 * {@link #restart()} it: same address, same data, as a broker that went away and came back.
 */
public final class KafkaServer {

    private static final Logger LOG = Logger.getLogger(KafkaServer.class);
    private static final String CONTAINER_IMAGE = "apache/kafka:4.1.1";
    private static KafkaServer shared;

    private final ServerMode mode;
    private final Path logDir;
    private final String clusterId = Uuid.randomUuid().toString();
    private int port;
    private int controllerPort;
    private EmbeddedKafkaBroker broker;
    private KafkaContainer container;
    private String bootstrapServers;

    private KafkaServer(ServerMode mode) {
        this.mode = mode;
        try {
            this.logDir = Files.createTempDirectory("mesh-kafka");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The broker of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized KafkaServer shared() {
        if (shared == null) {
            shared = new KafkaServer(ServerMode.current());
            shared.start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop, "kafka-stop"));
        }
        return shared;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** Stops the broker as if it went down; clients see connection failures until {@link #restart()}. */
    public synchronized void stop() {
        if (broker != null) {
            broker.close();
            broker = null;
        }
        if (container != null) {
            container.stop();
            container = null;
        }
    }

    /** Starts the stopped broker again on the same address with the same data (embedded mode only). */
    public synchronized void restart() {
        if (mode == ServerMode.CONTAINERS) {
            throw new UnsupportedOperationException("restarting keeps address and data only for the embedded broker");
        }
        start();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void start() {
        QuietServers.apply();
        long started = System.nanoTime();
        if (mode == ServerMode.CONTAINERS) {
            container = new KafkaContainer(CONTAINER_IMAGE);
            container.start();
            bootstrapServers = container.getBootstrapServers();
        } else {
            if (port == 0) {
                port = freePort();
                controllerPort = freePort();
            }
            broker = new EmbeddedKafkaBroker()
                    .withKafkaPort(port)
                    .withControllerPort(controllerPort)
                    .withClusterId(clusterId)
                    .withDeleteLogDirsOnClose(false)
                    .withAdditionalProperties(properties -> {
                        properties.put("log.dir", logDir.toString());
                        // Topics are created explicitly by the services; a typo should not create one.
                        properties.put("auto.create.topics.enable", "false");
                        properties.put("num.partitions", "3");
                    })
                    .start();
            bootstrapServers = broker.getAdvertisedListeners().replaceFirst("^[A-Z_]+://", "");
        }
        LOG.infof("Kafka broker (%s, KRaft) started in %d ms at %s", mode.name().toLowerCase(),
                (System.nanoTime() - started) / 1_000_000, bootstrapServers);
    }
}
