package dev.usersync.adapter.sync;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.usersync.adapter.probe.Probe;
import dev.usersync.adapter.probe.ProbeProjection;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.AccountUpdated;
import dev.usersync.events.EventSigner;
import dev.usersync.events.Topics;
import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import dev.usersync.testsupport.Sql;
import dev.usersync.testsupport.TestIssuer;
import dev.usersync.testsupport.TestIssuerResource;
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
 * A person the adapter meets through a request before their events arrive is fetched once from the accounts service,
 * checked like a record of the log, and applied through the same step: the events that arrive later change nothing.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class SyncOnMissTest {

    private static final String PRODUCT = ProbeProjection.PRODUCT;
    private static final String GROUP = Topics.consumerGroup(PRODUCT);

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final TestIssuer issuer = TestIssuer.shared();

    @Test
    void theFirstRequestFetchesTheAccountOnceAndItsLaterEventsChangeNothing() {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, Topics.ACCOUNT_LOG)) {
            AccountLogWriter.Account ada = log.newAccount(Probe.email("miss"), "Ada", List.of(PRODUCT), PRODUCT, null);
            AccountEvent created = ada.last();
            AccountEvent renamed = ada.next(s -> s.withName("Ada King"), s -> AccountUpdated.of(s, List.of("name")));
            issuer.knows(ada);
            String token = issuer.token(ada.id(), UUID.randomUUID(), List.of(PRODUCT), Duration.ofMinutes(5));
            int before = issuer.syncFetches(ada.id());

            given().header("Authorization", "Bearer " + token).get("/v1/probe/me").then().statusCode(200);
            given().header("Authorization", "Bearer " + token).get("/v1/probe/me").then().statusCode(200);
            assertThat(issuer.syncFetches(ada.id()) - before).as("fetches for two requests").isEqualTo(1);
            assertThat(Sql.text(dataSource, "SELECT name FROM people WHERE account_id = ?", ada.id()))
                    .isEqualTo("Ada King");
            assertThat(Sql.number(dataSource, "SELECT sequence FROM sync_accounts WHERE account_id = ?", ada.id()))
                    .isEqualTo(2);

            log.send(created);
            RecordMetadata sent = log.send(renamed);
            await().atMost(Duration.ofSeconds(30)).until(() -> log.consumedPast(GROUP, sent));
            given().header("Authorization", "Bearer " + token).get("/v1/probe/me").then().statusCode(200);
            assertThat(issuer.syncFetches(ada.id()) - before).as("fetches after the log caught up").isEqualTo(1);
            assertThat(Sql.text(dataSource, "SELECT name FROM people WHERE account_id = ?", ada.id()))
                    .isEqualTo("Ada King");
            assertThat(Sql.number(dataSource, "SELECT count(*) FROM people WHERE account_id = ?", ada.id()))
                    .isEqualTo(1);
            assertThat(Sql.number(dataSource, "SELECT applies FROM people WHERE account_id = ?", ada.id()))
                    .as("calls of the projection").isEqualTo(1);
            assertThat(Sql.number(dataSource, "SELECT count(*) FROM sync_gaps WHERE account_id = ?", ada.id()))
                    .as("gaps: the fetched head is no jump").isZero();
        }
    }

    @Test
    void anAnswerThatIsNotTheAccountsServicesSignedEventIsNotApplied() {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, Topics.ACCOUNT_LOG)) {
            AccountLogWriter.Account eve = log.newAccount(Probe.email("miss"), "Eve", List.of(PRODUCT), PRODUCT, null);
            issuer.knows(EventSigner.generate(AccountLogWriter.SIGNER.kid()).sign(eve.last()));

            given().header("Authorization", "Bearer " + issuer.token(eve.id(), UUID.randomUUID(), List.of(PRODUCT),
                    Duration.ofMinutes(5))).get("/v1/probe/me").then().statusCode(503)
                    .contentType("application/problem+json");
            assertThat(Sql.number(dataSource, "SELECT count(*) FROM sync_accounts WHERE account_id = ?", eve.id()))
                    .isZero();
            assertThat(Sql.number(dataSource, "SELECT count(*) FROM people WHERE account_id = ?", eve.id()))
                    .isZero();
        }
    }

    @Test
    void anAccountTheAccountsServiceDoesNotKnowIsRefused() {
        UUID stranger = UUID.randomUUID();
        given().header("Authorization", "Bearer " + issuer.token(stranger, UUID.randomUUID(), List.of(PRODUCT),
                Duration.ofMinutes(5))).get("/v1/probe/me").then().statusCode(401);
        assertThat(issuer.syncFetches(stranger)).as("fetches of the unknown account").isEqualTo(1);
        assertThat(Sql.number(dataSource, "SELECT count(*) FROM sync_accounts WHERE account_id = ?", stranger))
                .isZero();
    }
}
