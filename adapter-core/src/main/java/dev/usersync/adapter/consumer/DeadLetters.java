package dev.usersync.adapter.consumer;

import dev.usersync.events.Topics;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends a record that cannot be applied, as it arrived, to the dead-letter topic with the reason and its origin in
 * headers, and waits for the acknowledgement: its offset is committed only after that, so nothing is dropped.
 */
final class DeadLetters implements AutoCloseable {

    static final String REASON = "dead-letter-reason";
    static final String ORIGIN = "dead-letter-origin";

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;

    DeadLetters(Map<String, Object> kafka, String topic) {
        Map<String, Object> config = new HashMap<>(kafka);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        this.producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
    }

    /** Creates the dead-letter topic if it is missing (topics are never auto-created). */
    static void ensureTopic(Map<String, Object> kafka, String topic) throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(kafka)) {
            if (!admin.listTopics().names().get().contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, Optional.empty(), Optional.empty())
                        .configs(Topics.deadLetterConfig()))).all().get();
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    void send(ConsumerRecord<byte[], byte[]> record, String reason) {
        RecordHeaders headers = new RecordHeaders();
        for (Header header : record.headers()) {
            headers.add(header);
        }
        headers.add(REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(ORIGIN, (record.topic() + "/" + record.partition() + "@" + record.offset())
                .getBytes(StandardCharsets.UTF_8));
        try {
            producer.send(new ProducerRecord<>(topic, null, record.key(), record.value(), headers)).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("the dead-letter topic did not take a record", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering", e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
