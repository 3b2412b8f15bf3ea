package dev.usersync.adapter.consumer;

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
import dev.usersync.testsupport.TestIssuerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** The account log reaches the product's projection in each account's order, and each event at most once. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class ConsumerOrderingTest {

    private static final String PRODUCT = ProbeProjection.PRODUCT;
    private static final String GROUP = Topics.consumerGroup(PRODUCT);

    @Inject
    DataSource dataSource;

    @Inject
    AccountLogConsumer consumer;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    /**
     * Sequence 1 twice, then 3 before 2, then 1 again: only 1 and 3 reach the projection, and the state is sequence
     * 3's.
     */
    @Test
    void duplicatesRedeliveriesAndOlderEventsHaveNoSecondEffect() {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, Topics.ACCOUNT_LOG)) {
            AccountLogWriter.Account ada = log.newAccount(Probe.email("dup"), "Ada", List.of(PRODUCT), PRODUCT, null);
            AccountEvent created = ada.last();
            AccountEvent renamed = ada.next(s -> s.withName("Ada King"), s -> AccountUpdated.of(s, List.of("name")));
            AccountEvent renamedAgain = ada.next(s -> s.withName("Ada K."),
                    s -> AccountUpdated.of(s, List.of("name")));

            log.send(created);
            log.send(created);
            log.send(renamedAgain);
            log.send(renamed);
            RecordMetadata lastSent = log.send(created);

            await().atMost(Duration.ofSeconds(30)).until(() -> log.consumedPast(GROUP, lastSent));
            assertThat(Sql.text(dataSource, "SELECT name FROM people WHERE account_id = ?", ada.id()))
                    .isEqualTo("Ada K.");
            assertThat(Sql.number(dataSource, "SELECT count(*) FROM people WHERE account_id = ?", ada.id()))
                    .isEqualTo(1);
            assertThat(Sql.number(dataSource, "SELECT applies FROM people WHERE account_id = ?", ada.id()))
                    .as("calls of the projection (sequences 1 and 3)").isEqualTo(2);
            assertThat(Sql.number(dataSource, "SELECT sequence FROM sync_accounts WHERE account_id = ?", ada.id()))
                    .isEqualTo(3);
        }
    }

    /**
     * Many accounts' events in one poll, interleaved: the poll is split among the apply threads, yet each account's
     * events are applied one after the other in sequence (an event applied before its predecessor would leave a gap
     * and make the predecessor a no-op).
     */
    @Test
    void eventsOfManyAccountsInOnePollAreEachAppliedInTheirAccountsOrder() {
        int changes = 5;
        List<AccountLogWriter.Account> people = new ArrayList<>();
        consumer.stop();
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, Topics.ACCOUNT_LOG)) {
            for (int i = 0; i < 20; i++) {
                AccountLogWriter.Account person = log.newAccount(Probe.email("order"), "Person " + i, List.of(PRODUCT),
                        PRODUCT, null);
                log.sendLater(person.last());
                people.add(person);
            }
            for (int change = 1; change <= changes; change++) {
                for (AccountLogWriter.Account person : people) {
                    String name = person.state().name().replaceAll(" v\\d+$", "") + " v" + change;
                    log.sendLater(person.next(s -> s.withName(name), s -> AccountUpdated.of(s, List.of("name"))));
                }
            }
            log.flush();
            consumer.start();

            people.forEach(person -> Probe.awaitSequence(dataSource, person.id(), 1 + changes));
            for (AccountLogWriter.Account person : people) {
                assertThat(Sql.text(dataSource, "SELECT name FROM people WHERE account_id = ?", person.id()))
                        .isEqualTo(person.state().name());
                assertThat(Sql.number(dataSource, "SELECT applies FROM people WHERE account_id = ?", person.id()))
                        .as("calls of the projection for %s", person.state().name()).isEqualTo(1 + changes);
                assertThat(Sql.number(dataSource, "SELECT count(*) FROM sync_gaps WHERE account_id = ?",
                        person.id())).as("gaps of %s", person.state().name()).isZero();
            }
        } finally {
            consumer.start();
        }
    }
}
