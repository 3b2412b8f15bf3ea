package dev.usersync.adapter.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.usersync.adapter.probe.Probe;
import dev.usersync.events.ProductAccessGranted;
import dev.usersync.events.ProductAccessRevoked;
import dev.usersync.events.SessionRevoked;
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

/** The log, not the token, decides: access the log denies is 403, a session the log revoked is 401, at once. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class SessionAndAccessChecksTest {

    private static final String ME = "/v1/probe/me";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    SessionChecks sessions;

    @Inject
    DataSource dataSource;

    private final TestIssuer issuer = TestIssuer.shared();

    /** A token naming the probe product, of an account the log says may not use it: 403. */
    @Test
    void aTokenForThisProductOfAnAccountWithoutItIs403() {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, "accounts.events")) {
            AccountLogWriter.Account bea = log.newAccount(Probe.email("access"), "Bea", List.of("plan"), "plan", null);
            log.send(bea.last());
            issuer.knows(bea);
            given().header("Authorization", "Bearer " + issuer.token(bea.id(), UUID.randomUUID(),
                    List.of("probe", "plan"), Duration.ofMinutes(5))).get(ME).then().statusCode(403)
                    .contentType("application/problem+json")
                    .body("detail", equalTo("this account may not use probe"));
        }
    }

    /** The token still lists the product; the log says it was taken away: the log wins, at once, and gives it back. */
    @Test
    void aProductRevokedAfterTheTokenWasIssuedIsRefusedAsSoonAsItsEventIsAppliedAndAGrantRestoresIt() {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, "accounts.events")) {
            AccountLogWriter.Account ada = log.newAccount(Probe.email("access"),
                    "Ada", List.of("probe"), "probe", null);
            log.send(ada.last());
            String token = issuer.token(ada.id(), UUID.randomUUID(), List.of("probe"), Duration.ofMinutes(5));
            await().atMost(Duration.ofSeconds(30)).until(() -> bearer(token) == 200);
            await().atMost(Duration.ofSeconds(10)).until(sessions::listening);

            log.send(ada.next(s -> s.withProducts(List.of()), s -> ProductAccessRevoked.of(s, "probe")));
            await().atMost(Duration.ofSeconds(30)).until(() -> bearer(token) == 403);
            given().cookie("mesh_session", token).get(ME).then().statusCode(403);

            log.send(ada.next(s -> s.withProducts(List.of("probe")), s -> ProductAccessGranted.of(s, "probe")));
            await().atMost(Duration.ofSeconds(30)).until(() -> bearer(token) == 200);
            given().cookie("mesh_session", token).get(ME).then().statusCode(200).body("active", equalTo(true));
        }
    }

    /** A logout reaches the adapter through the log: that session's token, by header or cookie, is 401; others work. */
    @Test
    void aRevokedSessionIsRefusedAsSoonAsItsEventIsApplied() {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, "accounts.events")) {
            AccountLogWriter.Account ada = log.newAccount(Probe.email("access"),
                    "Ada", List.of("probe"), "probe", null);
            log.send(ada.last());
            UUID session = UUID.randomUUID();
            String token = issuer.token(ada.id(), session, List.of("probe"), Duration.ofMinutes(5));
            await().atMost(Duration.ofSeconds(30)).until(() -> bearer(token) == 200);

            log.send(ada.next(s -> s, s -> SessionRevoked.of(s, List.of(session), SessionRevoked.Reason.LOGOUT)));

            await().atMost(Duration.ofSeconds(30)).until(() -> bearer(token) == 401);
            given().header("Authorization", "Bearer " + token).get(ME).then().statusCode(401)
                    .body("detail", equalTo("the session has ended"));
            given().cookie("mesh_session", token).get(ME).then().statusCode(401)
                    .body("detail", equalTo("the session has ended"));
            given().header("Authorization", "Bearer " + issuer.token(ada.id(), UUID.randomUUID(), List.of("probe"),
                    Duration.ofMinutes(5))).get(ME).then().statusCode(200);
        }
    }

    @Test
    void aRevocationCommittedByAnotherReplicaReachesThisOnesMemory() {
        AccountLogWriter.Account ada = Probe.signedUp(bootstrapServers, "Ada");
        UUID session = UUID.randomUUID();
        String token = issuer.token(ada.id(), session, List.of("probe"), Duration.ofMinutes(5));
        given().header("Authorization", "Bearer " + token).get(ME).then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(sessions::listening);

        // What another replica's apply step commits; this replica hears of it only through the table's notification.
        Sql.execute(dataSource, "INSERT INTO sync_revoked_sessions (session_id, account_id) VALUES (?, ?)", session,
                ada.id());

        await().atMost(Duration.ofSeconds(10)).until(() -> bearer(token) == 401);
        assertThat(sessions.listening()).as("answered from memory, not by a fallback query").isTrue();
    }


    private static int bearer(String token) {
        return given().header("Authorization", "Bearer " + token).get(ME).statusCode();
    }
}
