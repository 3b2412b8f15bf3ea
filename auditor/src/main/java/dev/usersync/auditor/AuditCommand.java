package dev.usersync.auditor;

import dev.usersync.events.EventCodec;
import dev.usersync.events.EventKeys;
import dev.usersync.events.Topics;
import io.quarkus.picocli.runtime.annotations.TopCommand;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The auditor's tools over the account log. */
@TopCommand
@Command(name = "audit", mixinStandardHelpOptions = true, subcommands = {VerifyCommand.class, HistoryCommand.class,
        RebuildCommand.class, DiffCommand.class},
        description = "Checks the account log (every account's sequence, hash chain and signatures, the state topic), "
                + "exports one account's history, rebuilds a product's cache from the log and compares it with the "
                + "live one.")
public class AuditCommand {

    /** Where the log is and how to trust it, shared by every subcommand that reads it. */
    static class Source {
        @Option(names = "--bootstrap-servers", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
                description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS or ${DEFAULT-VALUE}).")
        String bootstrapServers;

        @Option(names = "--kafka-config", paramLabel = "<file>", defaultValue = "${env:KAFKA_CLIENT_CONFIG}",
                description = "A Java properties file of Kafka client settings (security.protocol, sasl.*, ssl.*), "
                        + "as for Kafka's own tools (default: $KAFKA_CLIENT_CONFIG).")
        Path kafkaConfig;

        @Option(names = "--topic", defaultValue = Topics.ACCOUNT_LOG, description = "The account log (default: "
                + "${DEFAULT-VALUE}).")
        String topic;

        @Option(names = "--event-keys", paramLabel = "<url or file>", defaultValue = "${env:ACCOUNTS_EVENT_KEYS}",
                description = "The accounts service's event-signing keys: its /.well-known/event-keys.json, or a "
                        + "copy of it in a file (default: $ACCOUNTS_EVENT_KEYS). Every event's signature is checked "
                        + "against them.")
        String eventKeys;

        /** The Kafka client configuration: the bootstrap servers and the settings file, if any. */
        Map<String, Object> kafka() {
            Map<String, Object> config = new HashMap<>();
            if (kafkaConfig != null) {
                Properties properties = new Properties();
                try (InputStream in = Files.newInputStream(kafkaConfig)) {
                    properties.load(in);
                } catch (IOException e) {
                    throw new IllegalArgumentException("cannot read the Kafka settings " + kafkaConfig, e);
                }
                properties.forEach((key, value) -> config.put((String) key, value));
            }
            config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            return config;
        }

        /** The event-signing keys, fetched or read once. */
        EventKeys keys() {
            if (eventKeys == null || eventKeys.isBlank()) {
                throw new IllegalArgumentException("say where the accounts service's event-signing keys are: "
                        + "--event-keys <url or file> (or $ACCOUNTS_EVENT_KEYS)");
            }
            try {
                byte[] jwks;
                if (eventKeys.startsWith("http://") || eventKeys.startsWith("https://")) {
                    HttpResponse<byte[]> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                            .build().send(HttpRequest.newBuilder(URI.create(eventKeys))
                                    .timeout(Duration.ofSeconds(10)).GET().build(),
                                    HttpResponse.BodyHandlers.ofByteArray());
                    if (response.statusCode() != 200) {
                        throw new IOException(eventKeys + " answered " + response.statusCode());
                    }
                    jwks = response.body();
                } else {
                    jwks = Files.readAllBytes(Path.of(eventKeys));
                }
                return EventKeys.of(EventKeys.parseJwks(EventCodec.mapper().readTree(jwks)));
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the event-signing keys from " + eventKeys, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
