package dev.usersync.adapter.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.usersync.adapter.probe.Probe;
import dev.usersync.adapter.probe.ProbeProjection;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.AccountUpdated;
import dev.usersync.events.Topics;
import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import dev.usersync.testsupport.Sql;
import dev.usersync.testsupport.TestIssuer;
import dev.usersync.testsupport.TestIssuerResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * An event above its account's next sequence is applied (it carries the full state) and the hole is recorded and
 * counted; the gap healer fetches the account from the accounts service until it answers, which closes the hole, and
 * the missing event arriving late changes nothing.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class GapHealingTest {

    private static final String PRODUCT = ProbeProjection.PRODUCT;
    private static final String GROUP = Topics.consumerGroup(PRODUCT);

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final TestIssuer issuer = TestIssuer.shared();

    @Test
    void aSkippedSequenceIsRecordedRetriedUntilTheAccountsServiceAnswersAndHealed() {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, Topics.ACCOUNT_LOG)) {
            AccountLogWriter.Account ada = log.newAccount("gap-" + UUID.randomUUID() + "@example.com", "Ada",
                    List.of(PRODUCT), PRODUCT, null);
            log.send(ada.last());
            Probe.awaitSequence(dataSource, ada.id(), 1);
            AccountEvent missing = ada.next(s -> s.withName("Ada King"), s -> AccountUpdated.of(s, List.of("name")));
            AccountEvent after = ada.next(s -> s.withName("Ada K."), s -> AccountUpdated.of(s, List.of("name")));
            double gaps = registry.counter("adapter.sequence.gaps").count();

            log.send(after);
            Probe.awaitSequence(dataSource, ada.id(), 3);
            assertThat(Sql.text(dataSource, "SELECT name FROM people WHERE account_id = ?", ada.id()))
                    .isEqualTo("Ada K.");
            // the accounts service does not know the account yet: the healer's fetches fail and the gap stays open
            await().atMost(Duration.ofSeconds(30)).until(() -> Sql.number(dataSource,
                    "SELECT coalesce(max(attempts), 0) FROM sync_gaps WHERE account_id = ?", ada.id()) >= 1);
            assertThat(Sql.text(dataSource, "SELECT missing_from || '-' || missing_to FROM sync_gaps "
                    + "WHERE account_id = ?", ada.id())).isEqualTo("2-2");
            assertThat(registry.counter("adapter.sequence.gaps").count() - gaps).isEqualTo(1);

            issuer.knows(ada);
            await().atMost(Duration.ofSeconds(30)).until(() -> Sql.number(dataSource,
                    "SELECT count(*) FROM sync_gaps WHERE account_id = ?", ada.id()) == 0);
            assertThat(issuer.syncFetches(ada.id())).as("fetches of the account").isGreaterThanOrEqualTo(2);

            RecordMetadata late = log.send(missing);
            await().atMost(Duration.ofSeconds(30)).until(() -> log.consumedPast(GROUP, late));
            assertThat(Sql.text(dataSource, "SELECT name FROM people WHERE account_id = ?", ada.id()))
                    .isEqualTo("Ada K.");
            assertThat(Sql.number(dataSource, "SELECT applies FROM people WHERE account_id = ?", ada.id()))
                    .as("calls of the projection (sequences 1 and 3)").isEqualTo(2);
            assertThat(Sql.number(dataSource, "SELECT count(*) FROM sync_gaps WHERE account_id = ?", ada.id()))
                    .isZero();
        }
    }
}
