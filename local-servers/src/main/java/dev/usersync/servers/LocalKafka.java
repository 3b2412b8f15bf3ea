package dev.usersync.servers;

import io.smallrye.reactive.messaging.kafka.companion.test.EmbeddedKafkaBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * An Apache Kafka broker in KRaft mode (one combined broker and controller) from the Kafka jars. It keeps its address
 * and data across {@link #stop()} and {@link #start()}, as a broker that went away and came back. Topics are never
 * created automatically: the services create theirs.
 *
 * <p>{@link #secured} makes a broker as production runs one: clients authenticate with SASL/SCRAM-SHA-512 (users
 * written into the metadata at format time) and an ACL authorizer allows nothing that no ACL allows; the first user
 * is the super user that creates the ACLs. The controller listener authenticates the super user too (SASL/PLAIN, as
 * KRaft controllers cannot read SCRAM credentials before the metadata log is up).
 */
public final class LocalKafka implements AutoCloseable {

    /** The mechanism clients of a secured broker use. */
    public static final String MECHANISM = "SCRAM-SHA-512";

    private final Path logDirectory;
    private final String clusterId;
    private final int port;
    private final int controllerPort;
    private final Map<String, String> users;
    private EmbeddedKafkaBroker broker;

    public LocalKafka(Path logDirectory, String clusterId, int port, int controllerPort) {
        this(logDirectory, clusterId, port, controllerPort, Map.of());
    }

    private LocalKafka(Path logDirectory, String clusterId, int port, int controllerPort, Map<String, String> users) {
        this.logDirectory = logDirectory;
        this.clusterId = clusterId;
        this.port = port == 0 ? Sockets.freePort() : port;
        this.controllerPort = controllerPort == 0 ? Sockets.freePort() : controllerPort;
        this.users = users;
    }

    /** A broker that admits only these SCRAM users (name to password, the first the super user), on free ports. */
    public static LocalKafka secured(Path logDirectory, String clusterId, Map<String, String> users) {
        if (users.isEmpty()) {
            throw new IllegalArgumentException("a secured broker needs at least its super user");
        }
        return new LocalKafka(logDirectory, clusterId, 0, 0, new LinkedHashMap<>(users));
    }

    public synchronized LocalKafka start() {
        if (broker == null) {
            if (!users.isEmpty()) {
                formatWithUsers();
            }
            broker = new EmbeddedKafkaBroker()
                    .withKafkaPort(port)
                    .withControllerPort(controllerPort)
                    .withClusterId(clusterId)
                    .withDeleteLogDirsOnClose(false)
                    .withAdditionalProperties(properties -> {
                        properties.put("log.dir", logDirectory.toString());
                        properties.put("auto.create.topics.enable", "false");
                        properties.put("num.partitions", "3");
                        properties.putAll(security());
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

    /**
     * What a client of a secured broker sets, as Kafka client properties, to authenticate as {@code user}; empty for
     * a broker that is not secured.
     */
    public Map<String, String> clientProperties(String user) {
        if (users.isEmpty()) {
            return Map.of();
        }
        return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", MECHANISM, "sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                        + "\" password=\"" + users.get(user) + "\";");
    }

    @Override
    public void close() {
        stop();
    }

    private String superUser() {
        return users.keySet().iterator().next();
    }

    private Properties security() {
        Properties properties = new Properties();
        if (users.isEmpty()) {
            return properties;
        }
        String admin = superUser();
        String password = users.get(admin);
        properties.put("listeners", "SASL_PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        properties.put("advertised.listeners", "SASL_PLAINTEXT://localhost:" + port);
        properties.put("listener.security.protocol.map", "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
        properties.put("inter.broker.listener.name", "SASL_PLAINTEXT");
        properties.put("sasl.enabled.mechanisms", MECHANISM);
        properties.put("sasl.mechanism.inter.broker.protocol", MECHANISM);
        properties.put("listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + admin
                        + "\" password=\"" + password + "\";");
        properties.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
        properties.put("sasl.mechanism.controller.protocol", "PLAIN");
        properties.put("listener.name.controller.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + admin
                        + "\" password=\"" + password + "\" user_" + admin + "=\"" + password + "\";");
        properties.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        properties.put("super.users", "User:" + admin);
        properties.put("allow.everyone.if.no.acl.found", "false");
        return properties;
    }

    /** Formats the log directory with the SCRAM users in its bootstrap metadata (once; a restart keeps them). */
    private void formatWithUsers() {
        if (Files.exists(logDirectory.resolve("meta.properties"))) {
            return;
        }
        try {
            new Formatter()
                    .setClusterId(clusterId)
                    .setNodeId(1)
                    .setDirectories(List.of(logDirectory.toString()))
                    .setMetadataLogDirectory(logDirectory.toString())
                    .setControllerListenerName("CONTROLLER")
                    .setScramArguments(users.entrySet().stream()
                            .map(user -> MECHANISM + "=[name=" + user.getKey() + ",password=" + user.getValue() + "]")
                            .toList())
                    .setIgnoreFormatted(true)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format the secured broker's storage", e);
        }
    }
}
