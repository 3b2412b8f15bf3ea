package dev.usersync.testsupport;

import dev.usersync.servers.LocalKafka;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
    private LocalKafka broker;
    private KafkaContainer container;
    private String bootstrapServers;

    private KafkaServer(ServerMode mode) {
        this.mode = mode;
        if (mode == ServerMode.EMBEDDED) {
            try {
                broker = new LocalKafka(Files.createTempDirectory("mesh-kafka"), Uuid.randomUuid().toString(), 0, 0);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
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
            broker.stop();
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

    private void start() {
        QuietServers.apply();
        long started = System.nanoTime();
        if (mode == ServerMode.CONTAINERS) {
            container = new KafkaContainer(CONTAINER_IMAGE);
            container.start();
            bootstrapServers = container.getBootstrapServers();
        } else {
            bootstrapServers = broker.start().bootstrapServers();
        }
        LOG.infof("Kafka broker (%s, KRaft) started in %d ms at %s", mode.name().toLowerCase(),
                (System.nanoTime() - started) / 1_000_000, bootstrapServers);
    }
}
