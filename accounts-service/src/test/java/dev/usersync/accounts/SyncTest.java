package dev.usersync.accounts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersync.events.EventCodec;
import dev.usersync.events.EventKeys;
import dev.usersync.events.SignUpContext;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Adapters fetch an account they have not seen (or whose sequence has a hole): the signed head of its chain, which
 * carries the sign-up context, and the sessions revoked recently enough to matter.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class SyncTest {

    @Test
    void anAdapterFetchesTheSignedHeadOfTheChainAndTheRecentlyRevokedSessions() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("sync"), "track", "inv-42");
        AccountsApi.Browser elsewhere = AccountsApi.login(ada.email(), AccountsApi.PASSWORD);
        elsewhere.write().post("/v1/logout").then().statusCode(204);
        ada.write().body(Map.of("name", "Ada King")).patch("/v1/me").then().statusCode(200);

        JsonNode snapshot = EventCodec.mapper().readTree(given().header("Authorization", "Bearer test-sync-key")
                .get("/v1/sync/accounts/" + ada.accountId()).then().statusCode(200).extract().asByteArray());

        JsonNode head = snapshot.get("head");
        assertThat(head.get("sequence").asLong()).isEqualTo(3);
        assertThat(head.at("/data/account/name").asText()).isEqualTo("Ada King");
        assertThat(head.at("/data/account/signUp/product").asText()).isEqualTo("track");
        assertThat(head.at("/data/account/signUp/invitation").asText()).as("the invitation's digest, not the secret")
                .isEqualTo(SignUpContext.digest("inv-42"));
        EventKeys published = EventKeys.of(EventKeys.parseJwks(EventCodec.mapper().readTree(
                given().get("/.well-known/event-keys.json").then().statusCode(200).extract().asByteArray())));
        assertThat(published.check(head).authenticity()).isEqualTo(EventKeys.Authenticity.AUTHENTIC);
        assertThat(snapshot.get("revokedSessions")).extracting(JsonNode::asText)
                .containsExactly(elsewhere.sessionId().toString());
    }

    @Test
    void itNeedsTheSyncKeyAndSaysWhenAnAccountIsUnknown() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("sync-key"));
        given().get("/v1/sync/accounts/" + ada.accountId()).then().statusCode(401);
        given().header("Authorization", AccountsApi.ADMIN).get("/v1/sync/accounts/" + ada.accountId())
                .then().statusCode(401);
        ada.bearer().get("/v1/sync/accounts/" + ada.accountId()).then().statusCode(401);
        given().header("Authorization", "Bearer test-sync-key").get("/v1/sync/accounts/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
    }
}
