package dev.usersync.track;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import dev.usersync.testsupport.TestIssuer;
import dev.usersync.testsupport.TestIssuerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Track's endpoints sit behind adapter-core's token checks with Track as the product; the checks themselves are proved
 * in adapter-core (dev.usersync.adapter.auth).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class TrackAuthTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final TestIssuer issuer = TestIssuer.shared();

    @Test
    void aTrackTokenReadsTracksOwnUserFromTheHeaderOrTheCookie() {
        AccountLogWriter.Account ada = synced("Ada");
        String token = issuer.token(ada.id(), UUID.randomUUID(), List.of("track"), Duration.ofMinutes(5));

        given().header("Authorization", "Bearer " + token).get("/v1/track/me").then().statusCode(200)
                .body("fullname", equalTo("Ada")).body("memberships[0].personal", equalTo(true));
        given().cookie("mesh_session", token).get("/v1/track/me").then().statusCode(200)
                .body("accountId", equalTo(ada.id().toString()));
    }

    /** Another product's token is 401 here; a token naming Track, of an account the log says may not use it, 403. */
    @Test
    void anotherProductsTokenIs401AndAnAccountWithoutTrackIs403() {
        AccountLogWriter.Account ada = synced("Ada");
        given().header("Authorization", "Bearer " + issuer.token(ada.id(), UUID.randomUUID(), List.of("plan"),
                Duration.ofMinutes(5))).get("/v1/track/me").then().statusCode(401)
                .body("detail", equalTo("the token is not for this product"));

        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, "accounts.events")) {
            AccountLogWriter.Account bea = log.newAccount(email(), "Bea", List.of("plan"), "plan", null);
            log.send(bea.last());
            issuer.knows(bea);
            given().header("Authorization", "Bearer " + issuer.token(bea.id(), UUID.randomUUID(),
                    List.of("track", "plan"), Duration.ofMinutes(5))).get("/v1/track/me").then().statusCode(403)
                    .body("detail", equalTo("this account may not use track"));
        }
    }

    @Test
    void theInvitationEndpointsNeedATrackToken() {
        AccountLogWriter.Account ada = synced("Ada");
        String plan = "Bearer " + issuer.token(ada.id(), UUID.randomUUID(), List.of("plan"), Duration.ofMinutes(5));

        given().contentType(ContentType.JSON).body("{\"anyoneWithLink\":true}")
                .post("/v1/track/workspaces/1/invitations").then().statusCode(401)
                .body("detail", equalTo("sign in first"));
        given().header("Authorization", plan).contentType(ContentType.JSON).body("{\"anyoneWithLink\":true}")
                .post("/v1/track/workspaces/1/invitations").then().statusCode(401);
        given().delete("/v1/track/invitations/inv-unknown").then().statusCode(401);
        given().header("Authorization", plan).delete("/v1/track/invitations/inv-unknown").then().statusCode(401);
        given().post("/v1/track/invitations/inv-unknown/accept").then().statusCode(401);
        given().header("Authorization", plan).post("/v1/track/invitations/inv-unknown/accept").then()
                .statusCode(401);
    }

    private AccountLogWriter.Account synced(String name) {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, "accounts.events")) {
            AccountLogWriter.Account account = log.newAccount(email(), name, List.of("track"), "track", null);
            var sent = log.send(account.last());
            await().atMost(Duration.ofSeconds(30)).until(() -> log.consumedPast("track-adapter", sent));
            return account;
        }
    }

    private static String email() {
        return "auth-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }
}
