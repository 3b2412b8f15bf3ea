package dev.usersync.track;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.usersync.events.EmailVerified;
import dev.usersync.events.EventSigner;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A person Track meets through a request before their events arrive is fetched once and applied the same way. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class TrackSyncOnMissTest {

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final TestIssuer issuer = TestIssuer.shared();

    @Test
    void theFirstRequestFetchesTheAccountOnceAndItsLaterEventsChangeNothing() throws Exception {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, "accounts.events")) {
            AccountLogWriter.Account ada = log.newAccount(email(), "Ada", List.of("track"), "track", null);
            issuer.knows(ada);
            String token = issuer.token(ada.id(), UUID.randomUUID(), List.of("track"), Duration.ofMinutes(5));
            int before = issuer.syncFetches(ada.id());

            given().header("Authorization", "Bearer " + token).get("/v1/track/me").then().statusCode(200)
                    .body("fullname", equalTo("Ada")).body("memberships.size()", equalTo(1))
                    .body("memberships[0].personal", equalTo(true));
            given().header("Authorization", "Bearer " + token).get("/v1/track/me").then().statusCode(200);
            assertThat(issuer.syncFetches(ada.id()) - before).as("fetches for two requests").isEqualTo(1);

            var sent = log.send(ada.last());
            await().atMost(Duration.ofSeconds(30)).until(() -> log.consumedPast("track-adapter", sent));
            given().header("Authorization", "Bearer " + token).get("/v1/track/me").then().statusCode(200)
                    .body("memberships.size()", equalTo(1));
            assertThat(Sql.number(dataSource, "SELECT count(*) FROM users WHERE account_id = ?", ada.id())).isEqualTo(1);
        }
    }

    @Test
    void anInvitedPersonMetFirstThroughARequestJoinsAndGetsNoPersonalWorkspace() throws Exception {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, "accounts.events")) {
            long workspace = Sql.number(dataSource, "INSERT INTO workspaces (name) VALUES ('Lovelace & Co') RETURNING id");
            String code = "inv-" + UUID.randomUUID();
            String email = email();
            Sql.execute(dataSource, "INSERT INTO invitations (code, workspace_id, email) VALUES (?, ?, ?)", code,
                    workspace, email);
            AccountLogWriter.Account bob = log.newAccount(email, "Bob", List.of("track"), "track", code);
            issuer.knows(bob.next(s -> s.withEmail(email, true), s -> EmailVerified.of(s, email)));

            given().header("Authorization", "Bearer " + issuer.token(bob.id(), UUID.randomUUID(), List.of("track"),
                    Duration.ofMinutes(5))).get("/v1/track/me").then().statusCode(200)
                    .body("memberships.size()", equalTo(1))
                    .body("memberships[0].workspaceId", equalTo((int) workspace))
                    .body("memberships[0].personal", equalTo(false));
        }
    }

    @Test
    void anAnswerThatIsNotTheAccountsServicesSignedEventIsNotApplied() {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, "accounts.events")) {
            AccountLogWriter.Account eve = log.newAccount(email(), "Eve", List.of("track"), "track", null);
            issuer.knows(EventSigner.generate(AccountLogWriter.SIGNER.kid()).sign(eve.last()));

            given().header("Authorization", "Bearer " + issuer.token(eve.id(), UUID.randomUUID(), List.of("track"),
                    Duration.ofMinutes(5))).get("/v1/track/me").then().statusCode(503)
                    .contentType("application/problem+json");
            assertThat(Sql.number(dataSource, "SELECT count(*) FROM sync_accounts WHERE account_id = ?", eve.id()))
                    .isZero();
        }
    }

    @Test
    void anAccountTheAccountsServiceDoesNotKnowIsRefused() {
        given().header("Authorization", "Bearer " + issuer.token(UUID.randomUUID(), UUID.randomUUID(),
                List.of("track"), Duration.ofMinutes(5))).get("/v1/track/me").then().statusCode(401);
    }

    private static String email() {
        return "miss-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }
}
