package dev.usersync.accounts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Adapters fetch an account they have not seen, with the head of its chain and its sign-up context. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class SyncTest {

    @Test
    void anAdapterFetchesTheStateTheChainHeadAndTheSignUpContext() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("sync"), "track", "inv-42");
        ada.write().body(Map.of("name", "Ada King")).patch("/v1/me").then().statusCode(200);

        given().header("Authorization", "Bearer test-sync-key").get("/v1/sync/accounts/" + ada.accountId())
                .then().statusCode(200)
                .body("sequence", equalTo(2))
                .body("lastHash", org.hamcrest.Matchers.matchesPattern("[0-9a-f]{64}"))
                .body("state.name", equalTo("Ada King"))
                .body("signUp.product", equalTo("track"))
                .body("signUp.invitation", equalTo("inv-42"));
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
