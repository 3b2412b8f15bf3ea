package dev.usersync.adapter.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.usersync.adapter.probe.Probe;
import dev.usersync.adapter.probe.ProbeProjection;
import dev.usersync.events.AccountClosed;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.AccountState;
import dev.usersync.events.AccountStatus;
import dev.usersync.events.AccountUpdated;
import dev.usersync.events.EventSigner;
import dev.usersync.events.Topics;
import dev.usersync.events.Uuid7;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Whoever can write to Kafka cannot rewrite product data: an event that is not signed by a key the accounts service
 * publishes, or that does not link to the last event applied for its account, changes nothing, is dead-lettered with
 * the reason, and does not freeze the account for the real events that follow.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class ForgedEventsTest {

    private static final String PRODUCT = ProbeProjection.PRODUCT;
    private static final String DEAD_LETTERS = Topics.deadLetter(PRODUCT);

    @Inject
    DataSource dataSource;

    @Inject
    AccountLogConsumer consumer;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void forgedEventsChangeNothingAreDeadLetteredAndDoNotFreezeTheAccount() {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, Topics.ACCOUNT_LOG)) {
            String email = Probe.email("forged");
            AccountLogWriter.Account ada = log.newAccount(email, "Ada", List.of(PRODUCT), PRODUCT, null);
            log.send(ada.last());
            Probe.awaitSequence(dataSource, ada, 1);
            AccountEvent closedForEver = forged(ada, 1_000_000, ada.state().withStatus(AccountStatus.CLOSED));
            AccountEvent takesTheAddress = forged(ada, 2, ada.state().withEmail("mallory@example.com", true));

            log.send(closedForEver);
            log.send(EventSigner.generate(AccountLogWriter.SIGNER.kid()).sign(closedForEver));
            log.send(EventSigner.generate("mallory").sign(takesTheAddress));
            log.send(ada.next(s -> s.withName("Ada King"), s -> AccountUpdated.of(s, List.of("name"))));

            Probe.awaitSequence(dataSource, ada, 2);
            assertThat(Sql.number(dataSource, "SELECT sequence FROM sync_accounts WHERE account_id = ?", ada.id()))
                    .isEqualTo(2);
            assertThat(Sql.text(dataSource, "SELECT name FROM people WHERE account_id = ?", ada.id()))
                    .isEqualTo("Ada King");
            assertThat(Sql.text(dataSource, "SELECT email FROM people WHERE account_id = ?", ada.id()))
                    .isEqualTo(email);
            assertThat(Sql.text(dataSource, "SELECT active::text FROM people WHERE account_id = ?", ada.id()))
                    .isEqualTo("true");
            assertThat(Sql.number(dataSource, "SELECT applies FROM people WHERE account_id = ?", ada.id()))
                    .as("calls of the projection").isEqualTo(2);
            await().atMost(Duration.ofSeconds(30)).until(() -> reasonsFor(log, ada).size() >= 3);
            assertThat(reasonsFor(log, ada)).anyMatch(r -> r.startsWith("unsigned: "))
                    .anyMatch(r -> r.startsWith("bad-signature: ")).anyMatch(r -> r.startsWith("unknown-key: "));
        }
    }

    @Test
    void anAuthenticEventThatDoesNotLinkToTheLastAppliedIsDeadLetteredAndTheChainGoesOn() {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, Topics.ACCOUNT_LOG)) {
            AccountLogWriter.Account ada = log.newAccount(Probe.email("forged"),
                    "Ada", List.of(PRODUCT), PRODUCT, null);
            log.send(ada.last());
            Probe.awaitSequence(dataSource, ada, 1);

            log.send(fork(ada));
            log.send(ada.next(s -> s.withName("Ada King"), s -> AccountUpdated.of(s, List.of("name"))));

            Probe.awaitSequence(dataSource, ada, 2);
            assertThat(Sql.text(dataSource, "SELECT name FROM people WHERE account_id = ?", ada.id()))
                    .isEqualTo("Ada King");
            assertThat(Sql.text(dataSource, "SELECT active::text FROM people WHERE account_id = ?", ada.id()))
                    .as("active, whatever the fork said").isEqualTo("true");
            await().atMost(Duration.ofSeconds(30)).until(() -> !reasonsFor(log, ada).isEmpty());
            assertThat(reasonsFor(log, ada)).anyMatch(r -> r.startsWith("chain: sequence 2 does not link"));
        }
    }

    /**
     * A poll of many accounts is applied in a few transactions; one event in it that breaks its chain rolls back its
     * share, which is split until the event is alone: it alone is dead-lettered, every other event is applied.
     */
    @Test
    void aBadEventInABatchIsDeadLetteredAloneAndTheRestOfTheBatchIsApplied() {
        List<AccountLogWriter.Account> people = new ArrayList<>();
        consumer.stop();
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, Topics.ACCOUNT_LOG)) {
            for (int i = 0; i < 40; i++) {
                AccountLogWriter.Account person = log.newAccount(Probe.email("forged"),
                        "Person " + i, List.of(PRODUCT), PRODUCT,
                        null);
                log.sendLater(person.last());
                people.add(person);
            }
            AccountLogWriter.Account bad = people.get(17);
            log.sendLater(fork(bad));
            for (AccountLogWriter.Account person : people) {
                log.sendLater(person.next(s -> s.withName(s.name() + " King"),
                        s -> AccountUpdated.of(s, List.of("name"))));
            }
            log.flush();
            consumer.start();

            people.forEach(person -> Probe.awaitSequence(dataSource, person, 2));
            await().atMost(Duration.ofSeconds(30)).until(() -> !reasonsFor(log, bad).isEmpty());
            List<ConsumerRecord<byte[], byte[]>> deadLetters = log.readAll(DEAD_LETTERS);
            for (AccountLogWriter.Account person : people) {
                assertThat(Sql.text(dataSource, "SELECT name FROM people WHERE account_id = ?", person.id()))
                        .isEqualTo(person.state().name());
                assertThat(deadLetters).filteredOn(r -> keyed(r, person))
                        .map(r -> AccountLogWriter.header(r, "dead-letter-reason"))
                        .as("dead letters of %s", person.state().name()).hasSize(person == bad ? 1 : 0)
                        .allMatch(r -> r.startsWith("chain: sequence 2 does not link"));
            }
        } finally {
            consumer.start();
        }
    }

    /** An event an attacker wrote: right account, chosen sequence and state, sealed but not signed. */
    private static AccountEvent forged(AccountLogWriter.Account account, long sequence, AccountState state) {
        return new AccountEvent(Uuid7.next(), account.id(), sequence, Instant.now(), 2, account.last().hash(), null,
                null, null, AccountUpdated.of(state, List.of("name"))).seal();
    }

    /**
     * A second sequence 2 signed by the accounts service's own key, closing the account, that does not link to the
     * account's sequence 1: a fork of its chain.
     */
    private static AccountEvent fork(AccountLogWriter.Account account) {
        return AccountLogWriter.SIGNER.sign(new AccountEvent(Uuid7.next(), account.id(), 2, Instant.now(), 2,
                "0".repeat(64), null, null, null, AccountClosed.of(account.state().withStatus(AccountStatus.CLOSED),
                        AccountClosed.Reason.ADMINISTRATIVE)).seal());
    }

    private List<String> reasonsFor(AccountLogWriter log, AccountLogWriter.Account account) {
        return log.readAll(DEAD_LETTERS).stream().filter(r -> keyed(r, account))
                .map(r -> AccountLogWriter.header(r, "dead-letter-reason")).toList();
    }

    private static boolean keyed(ConsumerRecord<byte[], byte[]> record, AccountLogWriter.Account account) {
        return record.key() != null && account.id().toString().equals(new String(record.key(),
                StandardCharsets.UTF_8));
    }
}
