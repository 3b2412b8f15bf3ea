package dev.usersync.accounts;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A write authenticated by the session cookie must echo the session's CSRF token; reads and bearer calls need not. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class CsrfTest {

    @Test
    void aCookieWriteWithoutTheCsrfHeaderIsRefusedAndChangesNothing() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("csrf"));

        ada.cookie().contentType(ContentType.JSON).body(Map.of("name", "Mallory")).patch("/v1/me")
                .then().statusCode(403).contentType("application/problem+json");
        ada.cookie().post("/v1/logout").then().statusCode(403);

        ada.cookie().get("/v1/me").then().statusCode(200).body("name", equalTo("Ada Lovelace"));
    }

    /** The filter decides by the request's own method, on every endpoint for a signed-in caller. */
    @Test
    void everyCookieWriteOfTheAccountsApiNeedsTheCsrfHeader() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("csrf-every"));

        ada.cookie().contentType(ContentType.JSON).body(Map.of("name", "Mallory")).patch("/v1/me").then()
                .statusCode(403);
        ada.cookie().post("/v1/me/email-verification").then().statusCode(403);
        ada.cookie().contentType(ContentType.JSON).body(Map.of("newPassword", "an entirely new passphrase"))
                .post("/v1/me/password").then().statusCode(403);
        ada.cookie().contentType(ContentType.JSON).body(Map.of()).delete("/v1/me").then().statusCode(403);
        ada.cookie().post("/v1/logout").then().statusCode(403);

        ada.cookie().get("/v1/me").then().statusCode(200).body("name", org.hamcrest.Matchers.not("Mallory"));
    }

    @Test
    void anotherSessionsCsrfTokenDoesNotWork() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("csrf-a"));
        AccountsApi.Browser eve = AccountsApi.signUp(AccountsApi.newEmail("csrf-e"));

        ada.cookie().header("X-CSRF-Token", eve.csrf()).contentType(ContentType.JSON)
                .body(Map.of("name", "Mallory")).patch("/v1/me").then().statusCode(403);
    }

    @Test
    void theRightCsrfTokenOrABearerTokenIsEnough() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("csrf-ok"));

        ada.write().body(Map.of("name", "Ada King")).patch("/v1/me").then().statusCode(200);
        ada.bearer().contentType(ContentType.JSON).body(Map.of("name", "Ada K.")).patch("/v1/me")
                .then().statusCode(200).body("name", equalTo("Ada K."));
        given().cookie("mesh_session", ada.sessionCookie()).get("/v1/me").then().statusCode(200);
    }
}
