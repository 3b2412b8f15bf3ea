package dev.usersync.adapter.consumer;

import dev.usersync.adapter.AdapterConfig;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

/**
 * The operator's replay of the dead-letter topic after a fix: every record (or those from one origin) goes through
 * the same checks and apply step as the live log, with the code deployed now. The apply step is idempotent, so
 * replaying a record twice, or one whose account moved on, does nothing more than applying it once; a revocation in
 * it takes effect whatever the sequence says. Records that still cannot be applied stay where they are and are
 * reported; nothing is removed from the topic (it is the record of what went wrong).
 */
@ApplicationScoped
public class DeadLetterReplay {

    private static final Logger LOG = Logger.getLogger(DeadLetterReplay.class);

    private final AdapterConfig config;
    private final RecordApplier applier;
    private final Map<String, Object> kafka;

    public DeadLetterReplay(AdapterConfig config, RecordApplier applier,
            @Identifier("default-kafka-broker") Map<String, Object> kafka) {
        this.config = config;
        this.applier = applier;
        this.kafka = kafka;
    }

    /** One dead letter and what replaying it did. */
    public record Replayed(String origin, String deadLetterReason, RecordApplier.Kind outcome, String reason) {
    }

    /** What a replay did: counts by outcome and every record. */
    public record Report(int records, Map<RecordApplier.Kind, Integer> outcomes, List<Replayed> replayed) {
    }

    /**
     * Replays the dead letters present now, every one or only those whose {@code dead-letter-origin} is
     * {@code origin} (for example {@code accounts.events/3@1042}).
     */
    public Report replay(String origin) {
        Map<String, Object> props = new HashMap<>(kafka);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        List<Replayed> replayed = new ArrayList<>();
        Map<RecordApplier.Kind, Integer> outcomes = new EnumMap<>(RecordApplier.Kind.class);
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            TopicScan.scan(reader, config.deadLetterTopic(), null, record -> {
                String from = header(record, DeadLetters.ORIGIN);
                if (origin == null || origin.equals(from)) {
                    RecordApplier.Result result = applier.apply(record.key(), record.value(), false);
                    outcomes.merge(result.kind(), 1, Integer::sum);
                    replayed.add(new Replayed(from, header(record, DeadLetters.REASON), result.kind(),
                            result.reason()));
                }
            }, (read, total) -> LOG.infof("replaying %s: %d of %d records", config.deadLetterTopic(), read, total));
        }
        LOG.infof("replayed %d dead letters of %s: %s", replayed.size(), config.deadLetterTopic(), outcomes);
        return new Report(replayed.size(), outcomes, replayed);
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
