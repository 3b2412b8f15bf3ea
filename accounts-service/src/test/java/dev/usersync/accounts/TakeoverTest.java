package dev.usersync.accounts;

import static dev.usersync.accounts.AccountsApi.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
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
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * No takeover without the password: sensitive changes need it (or a recent sign-in), an email change can be undone
 * from the old address, and a credential change ends what was issued before it (codes, logins in flight, links,
 * brute-force counters).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class TakeoverTest {

    private static final String NEW_PASSWORD = "a much better passphrase";

    @Inject
    DataSource dataSource;

    @Inject
    MockMailbox mailbox;

    /** A token stolen from an old sign-in changes nothing that needs the password. */
    @Test
    void sensitiveChangesAfterAnOldSignInNeedThePassword() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("stale"));
        age(ada);
        String thief = AccountsApi.newEmail("thief");

        ada.bearer().contentType(ContentType.JSON).body(Map.of("email", thief)).patch("/v1/me").then()
                .statusCode(403).contentType("application/problem+json")
                .body("type", containsString("reauthentication-required"));
        ada.bearer().contentType(ContentType.JSON).body(Map.of("email", thief, "currentPassword", "guess"))
                .patch("/v1/me").then().statusCode(403);
        ada.bearer().contentType(ContentType.JSON).body(Map.of("newPassword", NEW_PASSWORD))
                .post("/v1/me/password").then().statusCode(403);
        ada.bearer().contentType(ContentType.JSON).body(Map.of()).delete("/v1/me").then().statusCode(403);
        ada.bearer().contentType(ContentType.JSON).body(Map.of("name", "Ada King")).patch("/v1/me").then()
                .statusCode(200);

        ada.bearer().get("/v1/me").then().statusCode(200).body("email", equalTo(ada.email()));
        assertThat(AccountsApi.types(AccountsApi.outbox(dataSource, ada.accountId())))
                .containsExactly("AccountCreated", "AccountUpdated");
        ada.bearer().contentType(ContentType.JSON).body(Map.of("email", thief, "currentPassword", PASSWORD))
                .patch("/v1/me").then().statusCode(200).body("email", equalTo(thief));
    }

    /** The old address hears of the change and can take the account back; the thief's sessions end. */
    @Test
    void anEmailChangeTellsTheOldAddressEndsOtherSessionsAndCanBeUndone() throws Exception {
        String original = AccountsApi.newEmail("undo");
        AccountsApi.Browser laptop = verified(AccountsApi.signUp(original));
        AccountsApi.Browser phone = AccountsApi.login(original, PASSWORD);
        String oldReset = requestReset(original);
        String thief = AccountsApi.newEmail("thief");

        laptop.write().body(Map.of("email", thief)).patch("/v1/me").then().statusCode(200);

        phone.bearer().get("/v1/me").then().statusCode(401);
        laptop.cookie().get("/v1/me").then().statusCode(200);
        resetWith(oldReset).then().statusCode(400);
        String undo = AccountsApi.mailedToken(mailbox, original, "/undo-email-change");
        assertThat(mailbox.getMailsSentTo(original).get(mailbox.getMailsSentTo(original).size() - 1).getText())
                .contains(thief);

        undo(undo).then().statusCode(204);
        undo(undo).then().statusCode(400);

        laptop.cookie().get("/v1/me").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("email", original, "password", PASSWORD)).post("/v1/login")
                .then().statusCode(403).body("type", containsString("password-reset-required"));
        resetWith(AccountsApi.mailedToken(mailbox, original, "/reset-password")).then().statusCode(204);
        AccountsApi.login(original, NEW_PASSWORD);
        List<JsonNode> events = AccountsApi.outbox(dataSource, laptop.accountId());
        assertThat(AccountsApi.types(events)).containsExactly("AccountCreated", "EmailVerified", "AccountUpdated",
                "SessionRevoked", "AccountUpdated", "SessionRevoked");
        assertThat(events.get(4).at("/data/account/email").asText()).isEqualTo(original);
        assertThat(events.get(4).at("/data/account/emailVerified").asBoolean()).isTrue();
    }

    /**
     * A thief who changes the address twice and undoes their own second change gets the first owner's address back,
     * not theirs: an undo restores the earliest address still undoable, and the reset goes there.
     */
    @Test
    void aThiefsOwnUndoGivesTheAccountBackToTheFirstAddress() {
        String original = AccountsApi.newEmail("first-owner");
        AccountsApi.Browser thief = verified(AccountsApi.signUp(original));
        String first = AccountsApi.newEmail("thief-one");
        String second = AccountsApi.newEmail("thief-two");
        thief.write().body(Map.of("email", first)).patch("/v1/me").then().statusCode(200);
        verified(thief, first);
        thief.write().body(Map.of("email", second)).patch("/v1/me").then().statusCode(200);
        String ownUndo = AccountsApi.mailedToken(mailbox, first, "/undo-email-change");
        mailbox.clear();

        undo(ownUndo).then().statusCode(204);

        resetWith(AccountsApi.mailedToken(mailbox, original, "/reset-password")).then().statusCode(204);
        assertThat(mailbox.getMailsSentTo(first)).isNullOrEmpty();
        AccountsApi.login(original, NEW_PASSWORD).cookie().get("/v1/me").then().body("email", equalTo(original));
    }

    /** An address never proved (a typo, say) gets no mail and no power over the account after it is changed. */
    @Test
    void anUnverifiedOldAddressGetsNoUndoLink() {
        String typo = AccountsApi.newEmail("typo");
        AccountsApi.Browser ada = AccountsApi.signUp(typo);
        mailbox.clear();

        String fixed = AccountsApi.newEmail("fixed");

        ada.write().body(Map.of("email", fixed)).patch("/v1/me").then().statusCode(200);

        AccountsApi.mailedToken(mailbox, fixed, "/verify-email");
        assertThat(mailbox.getMailsSentTo(typo)).isNullOrEmpty();
    }

    /**
     * Only a browser's own sign-in counts as recent: an app approved a minute ago, or a session token replayed as a
     * bearer token (every product sees the cookie), still needs the password.
     */
    @Test
    void aRecentSignInCountsOnlyForTheBrowserItHappenedIn() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("recent-where"));
        String verifier = OAuthTest.verifier();
        OAuthTest.Tokens app = OAuthTest.exchange(OAuthTest.authorize(ada, OAuthService.challengeOf(verifier), null),
                verifier);

        for (io.restassured.specification.RequestSpecification caller : List.of(given().auth().oauth2(app.access()),
                ada.bearer())) {
            caller.contentType(ContentType.JSON).body(Map.of("email", AccountsApi.newEmail("moved")))
                    .patch("/v1/me").then().statusCode(403).body("type", containsString("reauthentication-required"));
        }
        given().auth().oauth2(app.access()).contentType(ContentType.JSON).body(Map.of("newPassword", NEW_PASSWORD))
                .post("/v1/me/password").then().statusCode(403);
        ada.write().body(Map.of("name", "Ada King")).patch("/v1/me").then().statusCode(200);
    }

    @Test
    void aPasswordChangeIsToldToTheAccountsAddress() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("told"));
        mailbox.clear();

        ada.write().body(Map.of("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD)).post("/v1/me/password")
                .then().statusCode(204);

        await().atMost(Duration.ofSeconds(10)).until(() -> mailbox.getMailsSentTo(ada.email()) != null
                && mailbox.getMailsSentTo(ada.email()).stream().anyMatch(m -> m.getSubject().contains("password")));
    }

    @Test
    void aCodeApprovedBeforeAPasswordChangeIsRefusedAfterIt() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("code-before"));
        String verifier = OAuthTest.verifier();
        String code = OAuthTest.authorize(ada, OAuthService.challengeOf(verifier), null);

        ada.write().body(Map.of("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD)).post("/v1/me/password")
                .then().statusCode(204);

        given().formParam("grant_type", "authorization_code").formParam("client_id", OAuthTest.CLIENT)
                .formParam("code", code).formParam("redirect_uri", "com.example.test:/cb")
                .formParam("code_verifier", verifier).post("/oauth2/token").then().statusCode(400)
                .body("error", equalTo("invalid_grant"));
    }

    /**
     * A login checks the password, then opens the session. A password change that lands in between (held here at
     * the moment the login waits for the account's row) means the checked password is not the account's any more.
     */
    @Test
    void aLoginWhosePasswordCheckBeganBeforeAChangeCannotOpenASessionAfterIt() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("race"));
        CompletableFuture<Response> login;
        try (Connection held = dataSource.getConnection()) {
            held.setAutoCommit(false);
            try (PreparedStatement lock = held.prepareStatement("SELECT 1 FROM accounts WHERE id = ? FOR UPDATE")) {
                lock.setObject(1, ada.accountId());
                lock.executeQuery();
            }
            login = CompletableFuture.supplyAsync(() -> given().contentType(ContentType.JSON)
                    .body(Map.of("email", ada.email(), "password", PASSWORD)).post("/v1/login"));
            await().atMost(Duration.ofSeconds(10)).until(() -> AccountsApi.count(dataSource, "SELECT count(*) FROM "
                    + "pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%from accounts%'") > 0);
            try (PreparedStatement change = held.prepareStatement(
                    "UPDATE credentials SET version = version + 1 WHERE account_id = ?")) {
                change.setObject(1, ada.accountId());
                change.executeUpdate();
            }
            held.commit();
        }

        login.get().then().statusCode(401);
        assertThat(AccountsApi.count(dataSource, "SELECT count(*) FROM sessions WHERE account_id = '"
                + ada.accountId() + "'")).isEqualTo(1);
    }

    @Test
    void aResetSpendsEveryOtherLinkAndClearsTheAccountsThrottle() {
        String email = AccountsApi.newEmail("reset-clears");
        AccountsApi.Browser ada = AccountsApi.signUp(email);
        String verification = AccountsApi.mailedToken(mailbox, email, "/verify-email");
        String first = requestReset(email);
        String second = requestReset(email);
        for (int i = 0; i < 6; i++) {
            given().header("X-Forwarded-For", "198.51.100.7").contentType(ContentType.JSON)
                    .body(Map.of("email", email, "password", "wrong " + i)).post("/v1/login");
        }
        given().header("X-Forwarded-For", "198.51.100.7").contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD)).post("/v1/login").then().statusCode(429);

        resetWith(first).then().statusCode(400);
        resetWith(second).then().statusCode(204);

        given().contentType(ContentType.JSON).body(Map.of("token", verification))
                .post("/v1/email-verification/confirm").then().statusCode(400);
        given().header("X-Forwarded-For", "198.51.100.7").contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", NEW_PASSWORD)).post("/v1/login").then().statusCode(200);
        ada.cookie().get("/v1/me").then().statusCode(401);
    }

    private AccountsApi.Browser verified(AccountsApi.Browser browser) {
        verified(browser, browser.email());
        return browser;
    }

    private void verified(AccountsApi.Browser browser, String email) {
        given().contentType(ContentType.JSON).body(Map.of("token", AccountsApi.mailedToken(mailbox, email,
                "/verify-email"))).post("/v1/email-verification/confirm").then().statusCode(200);
    }

    private static Response undo(String token) {
        return given().contentType(ContentType.JSON).body(Map.of("token", token)).post("/v1/email-change/undo");
    }

    private String requestReset(String email) {
        given().contentType(ContentType.JSON).body(Map.of("email", email)).post("/v1/password-reset").then()
                .statusCode(202);
        String token = AccountsApi.mailedToken(mailbox, email, "/reset-password");
        mailbox.clear();
        return token;
    }

    private static Response resetWith(String token) {
        return given().contentType(ContentType.JSON).body(Map.of("token", token, "newPassword", NEW_PASSWORD))
                .post("/v1/password-reset/confirm");
    }

    private void age(AccountsApi.Browser browser) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE sessions SET auth_time = now() - interval '1 hour' WHERE id = ?")) {
            s.setObject(1, browser.sessionId());
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }
}
