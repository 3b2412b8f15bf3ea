package dev.usersync.accounts;

import static dev.usersync.accounts.AccountsApi.ADMIN;
import static dev.usersync.accounts.AccountsApi.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersync.accounts.oauth.service.OAuthService;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** What support can do for a person, each recorded in the auth log, and nothing without the admin key. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class SupportToolsTest {

    @Inject
    DataSource dataSource;

    @Inject
    MockMailbox mailbox;

    @Test
    void aForcedResetEndsEverySessionAndTheOldPassword() throws Exception {
        String email = AccountsApi.newEmail("forced");
        AccountsApi.Browser ada = AccountsApi.signUp(email);
        mailbox.clear();

        given().header("Authorization", ADMIN).post(admin(ada, "/password-reset")).then().statusCode(200)
                .body("action", equalTo("password-reset"));

        ada.cookie().get("/v1/me").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD)).post("/v1/login")
                .then().statusCode(403).body("type", containsString("password-reset-required"));
        given().contentType(ContentType.JSON).body(Map.of("token", AccountsApi.mailedToken(mailbox, email,
                "/reset-password"), "newPassword", "a new start for Ada")).post("/v1/password-reset/confirm")
                .then().statusCode(204);
        AccountsApi.login(email, "a new start for Ada");
        List<JsonNode> events = AccountsApi.outbox(dataSource, ada.accountId());
        assertThat(events.get(1).at("/data/reason").asText()).isEqualTo("ADMINISTRATIVE");
        assertLogged(ada, "admin-password-reset");
    }

    /** A reset forced after someone moved the account to their address leaves the first owner's undo link alive. */
    @Test
    void aForcedResetKeepsTheFirstOwnersUndoLink() {
        String original = AccountsApi.newEmail("forced-undo");
        AccountsApi.Browser ada = AccountsApi.signUp(original);
        given().contentType(ContentType.JSON).body(Map.of("token", AccountsApi.mailedToken(mailbox, original,
                "/verify-email"))).post("/v1/email-verification/confirm").then().statusCode(200);
        ada.write().body(Map.of("email", AccountsApi.newEmail("taken-over"))).patch("/v1/me").then().statusCode(200);
        String undo = AccountsApi.mailedToken(mailbox, original, "/undo-email-change");

        given().header("Authorization", ADMIN).post(admin(ada, "/password-reset")).then().statusCode(200);

        given().contentType(ContentType.JSON).body(Map.of("token", undo)).post("/v1/email-change/undo").then()
                .statusCode(204);
        given().header("Authorization", ADMIN).get("/v1/admin/accounts/" + ada.accountId()).then()
                .body("email", equalTo(original));
    }

    @Test
    void unlockingLetsTheOwnerInAtOnce() {
        String email = AccountsApi.newEmail("unlock");
        AccountsApi.Browser ada = AccountsApi.signUp(email);
        for (int i = 0; i < 6; i++) {
            login(email, "wrong " + i);
        }
        login(email, PASSWORD).then().statusCode(429);

        given().header("Authorization", ADMIN).post(admin(ada, "/unlock")).then().statusCode(200);

        login(email, PASSWORD).then().statusCode(200);
        assertLogged(ada, "admin-unlock");
    }

    @Test
    void endingSessionsEndsBrowsersAndAppsThroughTheLog() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("end-all"));
        String verifier = OAuthTest.verifier();
        OAuthTest.Tokens app = OAuthTest.exchange(OAuthTest.authorize(ada, OAuthService.challengeOf(verifier), null),
                verifier);

        given().header("Authorization", ADMIN).post(admin(ada, "/sessions/end")).then().statusCode(200)
                .body("sessionsEnded", equalTo(2));

        ada.cookie().get("/v1/me").then().statusCode(401);
        given().auth().oauth2(app.access()).get("/v1/me").then().statusCode(401);
        given().formParam("grant_type", "refresh_token").formParam("client_id", OAuthTest.CLIENT)
                .formParam("refresh_token", app.refresh()).post("/oauth2/token").then().statusCode(400);
        List<JsonNode> events = AccountsApi.outbox(dataSource, ada.accountId());
        JsonNode revoked = events.get(events.size() - 1);
        assertThat(revoked.at("/data/sessionIds").size()).isEqualTo(2);
        assertLogged(ada, "admin-end-sessions");
    }

    @Test
    void aResyncReEmitsTheWholeCurrentState() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("resync"));

        long sequence = given().header("Authorization", ADMIN).post(admin(ada, "/resync")).then().statusCode(200)
                .extract().jsonPath().getLong("sequence");

        List<JsonNode> events = AccountsApi.outbox(dataSource, ada.accountId());
        JsonNode resync = events.get(events.size() - 1);
        assertThat(resync.get("type").asText()).isEqualTo("AccountUpdated");
        assertThat(resync.get("sequence").asLong()).isEqualTo(sequence).isEqualTo(2);
        assertThat(resync.at("/data/changed").toString())
                .isEqualTo("[\"email\",\"emailVerified\",\"locale\",\"name\",\"timeZone\"]");
        assertThat(resync.at("/data/account")).isEqualTo(events.get(0).at("/data/account"));
        assertLogged(ada, "admin-resync");
    }

    @Test
    void supportToolsNeedTheAdminKey() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("no-key"));
        for (String tool : List.of("/password-reset", "/unlock", "/sessions/end", "/resync")) {
            given().post(admin(ada, tool)).then().statusCode(401);
            ada.bearer().post(admin(ada, tool)).then().statusCode(401);
        }
        ada.cookie().get("/v1/me").then().statusCode(200);
    }

    private static String admin(AccountsApi.Browser browser, String tool) {
        return "/v1/admin/accounts/" + browser.accountId() + tool;
    }

    private static io.restassured.response.Response login(String email, String password) {
        return given().header("X-Forwarded-For", "198.51.100.99").contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password)).post("/v1/login");
    }

    private static void assertLogged(AccountsApi.Browser browser, String action) {
        given().header("Authorization", ADMIN)
                .get("/v1/admin/auth-log?accountId=" + browser.accountId() + "&action=" + action)
                .then().statusCode(200).body("total", equalTo(1)).body("entries[0].method", equalTo("admin"));
    }
}
