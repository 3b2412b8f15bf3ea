package dev.usersync.testsupport;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import org.jboss.logging.Logger;
import org.testcontainers.kafka.KafkaContainer;

/**
 * One real Apache Kafka broker (KRaft mode, a single combined broker and controller) per test JVM: in-process from
 * the Kafka jars on the classpath, or a container where an engine answers.
 */
public final class KafkaServer {

    private static final Logger LOG = Logger.getLogger(KafkaServer.class);
    private static final String CONTAINER_IMAGE = "apache/kafka:4.1.1";
    private static KafkaServer shared;

    private final String bootstrapServers;

    private KafkaServer(String bootstrapServers) {
        this.bootstrapServers = bootstrapServers;
    }

    /** The broker of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized KafkaServer shared() {
        if (shared == null) {
            shared = start(ServerMode.current());
        }
        return shared;
    }

    private static KafkaServer start(ServerMode mode) {
        QuietServers.apply();
        long started = System.nanoTime();
        String bootstrap;
        if (mode == ServerMode.CONTAINERS) {
            KafkaContainer container = new KafkaContainer(CONTAINER_IMAGE);
            container.start();
            Runtime.getRuntime().addShutdownHook(new Thread(container::stop, "kafka-container-stop"));
            bootstrap = container.getBootstrapServers();
        } else {
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker()
                    .withAdditionalProperties(properties -> {
                        // Topics are created explicitly by the services; a typo should not create one.
                        properties.put("auto.create.topics.enable", "false");
                        properties.put("num.partitions", "3");
                    })
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-embedded-stop"));
            bootstrap = broker.getAdvertisedListeners().replaceFirst("^[A-Z_]+://", "");
        }
        LOG.infof("Kafka broker (%s, KRaft) started in %d ms at %s", mode.name().toLowerCase(),
                (System.nanoTime() - started) / 1_000_000, bootstrap);
        return new KafkaServer(bootstrap);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }
}
