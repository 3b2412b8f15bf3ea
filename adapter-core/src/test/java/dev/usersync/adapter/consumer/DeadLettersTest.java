package dev.usersync.adapter.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.usersync.adapter.probe.Probe;
import dev.usersync.adapter.probe.ProbeProjection;
import dev.usersync.events.AccountUpdated;
import dev.usersync.events.EventCodec;
import dev.usersync.events.EventHash;
import dev.usersync.events.Topics;
import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import dev.usersync.testsupport.Sql;
import dev.usersync.testsupport.TestIssuerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A record that cannot be applied goes to the product's dead-letter topic as it arrived, with the reason and its
 * origin in headers, and does not stop the account: its later events still apply.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class DeadLettersTest {

    private static final String PRODUCT = ProbeProjection.PRODUCT;
    private static final String GROUP = Topics.consumerGroup(PRODUCT);
    private static final String DEAD_LETTERS = Topics.deadLetter(PRODUCT);

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void poisonRecordsGoToTheDeadLetterTopicWithTheirReasonAndLaterEventsStillApply() {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, Topics.ACCOUNT_LOG)) {
            AccountLogWriter.Account ada = log.newAccount(Probe.email("poison"),
                    "Ada", List.of(PRODUCT), PRODUCT, null);
            String key = ada.id().toString();
            String otherKey = UUID.randomUUID().toString();
            log.sendRaw(key, "{not json".getBytes(StandardCharsets.UTF_8));
            log.sendRaw(key, "{\"type\":\"AccountCreated\",\"schemaVersion\":2}".getBytes(StandardCharsets.UTF_8));
            ObjectNode invalid = EventCodec.toTree(ada.last());
            ((ObjectNode) invalid.get("data")).remove("signUp");
            log.sendRaw(key, resign(invalid).toString().getBytes(StandardCharsets.UTF_8));
            byte[] misfiled = EventCodec.toBytes(ada.last());
            RecordMetadata misfiledAt = log.sendRaw(otherKey, misfiled);
            log.send(ada.last());

            Probe.awaitSequence(dataSource, ada.id(), 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> deadLettersFor(log, key).size() >= 3
                    && !deadLettersFor(log, otherKey).isEmpty());
            assertThat(reasons(deadLettersFor(log, key))).anyMatch(r -> r.startsWith("unreadable: malformed JSON"))
                    .anyMatch(r -> r.startsWith("content-changed: ")).anyMatch(r -> r.startsWith("schema: "));
            List<ConsumerRecord<byte[], byte[]>> misfiledLetters = deadLettersFor(log, otherKey);
            assertThat(reasons(misfiledLetters)).containsOnly("the record key is not the event's account id");
            assertThat(misfiledLetters.get(0).value()).as("the record as it arrived").isEqualTo(misfiled);
            assertThat(AccountLogWriter.header(misfiledLetters.get(0), "dead-letter-origin"))
                    .isEqualTo(misfiledAt.topic() + "/" + misfiledAt.partition() + "@" + misfiledAt.offset());
            assertThat(Sql.text(dataSource, "SELECT name FROM people WHERE account_id = ?", ada.id()))
                    .isEqualTo("Ada");
            assertThat(Sql.number(dataSource, "SELECT applies FROM people WHERE account_id = ?", ada.id()))
                    .as("calls of the projection").isEqualTo(1);
        }
    }

    /**
     * An authentic event the product refuses every time (here a trigger stands for a product rule) is attempted a few
     * times, dead-lettered with the failure, and changes nothing; the account's next event applies.
     */
    @Test
    void anEventThatKeepsFailingIsDeadLetteredAfterItsAttemptsAndTheAccountGoesOn() {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, Topics.ACCOUNT_LOG)) {
            AccountLogWriter.Account ada = log.newAccount(Probe.email("refused"),
                    "Ada", List.of(PRODUCT), PRODUCT, null);
            log.send(ada.last());
            Probe.awaitSequence(dataSource, ada.id(), 1);
            Sql.execute(dataSource, """
                    CREATE FUNCTION probe_refuse_boom() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF NEW.name = 'Boom' THEN RAISE EXCEPTION 'refused by a product rule'; END IF;
                        RETURN NEW;
                    END $$""");
            Sql.execute(dataSource, "CREATE TRIGGER probe_refuse_boom BEFORE INSERT OR UPDATE ON people "
                    + "FOR EACH ROW EXECUTE FUNCTION probe_refuse_boom()");
            try {
                RecordMetadata refused = log.send(ada.next(s -> s.withName("Boom"),
                        s -> AccountUpdated.of(s, List.of("name"))));
                await().atMost(Duration.ofSeconds(30)).until(() -> log.consumedPast(GROUP, refused));
            } finally {
                Sql.execute(dataSource, "DROP TRIGGER probe_refuse_boom ON people");
                Sql.execute(dataSource, "DROP FUNCTION probe_refuse_boom()");
            }
            assertThat(Sql.text(dataSource, "SELECT name FROM people WHERE account_id = ?", ada.id()))
                    .isEqualTo("Ada");
            log.send(ada.next(s -> s.withName("Ada King"), s -> AccountUpdated.of(s, List.of("name"))));

            Probe.awaitSequence(dataSource, ada.id(), 3);
            assertThat(Sql.text(dataSource, "SELECT name FROM people WHERE account_id = ?", ada.id()))
                    .isEqualTo("Ada King");
            assertThat(deadLettersFor(log, ada.id().toString())).hasSize(1).allSatisfy(letter -> {
                assertThat(AccountLogWriter.header(letter, "dead-letter-reason")).startsWith("apply failed ")
                        .contains("refused by a product rule");
                assertThat(AccountLogWriter.header(letter, "sequence")).isEqualTo("2");
            });
        }
    }

    /** The event as the accounts service would sign it, whatever it holds: tests what a consumer does with it. */
    static ObjectNode resign(ObjectNode event) {
        String hash = EventHash.of(event);
        event.put("hash", hash);
        event.set("signature", EventCodec.mapper().valueToTree(AccountLogWriter.SIGNER.signature(hash)));
        return event;
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLettersFor(AccountLogWriter log, String key) {
        return log.readAll(DEAD_LETTERS).stream()
                .filter(r -> r.key() != null && key.equals(new String(r.key(), StandardCharsets.UTF_8))).toList();
    }

    private static List<String> reasons(List<ConsumerRecord<byte[], byte[]>> deadLetters) {
        return deadLetters.stream().map(r -> AccountLogWriter.header(r, "dead-letter-reason")).toList();
    }
}
