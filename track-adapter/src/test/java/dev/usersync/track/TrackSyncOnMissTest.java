package dev.usersync.track;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.usersync.events.EmailVerified;
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

/**
 * Track's workspace rules hold for a person Track meets through a request before their events arrive, whose first
 * event seen is whatever the accounts service's head is then. (The fetch itself, once, checked, and applied so that
 * later events change nothing: adapter-core's SyncOnMissTest.)
 */
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
    void anInvitedPersonMetFirstThroughARequestJoinsAndGetsNoPersonalWorkspace() {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, "accounts.events")) {
            long workspace = Sql.number(dataSource,
                    "INSERT INTO workspaces (name) VALUES ('Lovelace & Co') RETURNING id");
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

    private static String email() {
        return "miss-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }
}
