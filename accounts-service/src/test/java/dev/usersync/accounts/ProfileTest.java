package dev.usersync.accounts;

import static dev.usersync.accounts.AccountsApi.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersync.events.ChainVerifier;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Everything a person does with their own account, and the event each change records. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class ProfileTest {

    private static final Pattern TOKEN = Pattern.compile("token=([A-Za-z0-9_-]+)");

    @Inject
    DataSource dataSource;

    @Inject
    MockMailbox mailbox;

    @BeforeEach
    void clearMail() {
        mailbox.clear();
    }

    @Test
    void changingNameLocaleAndTimeZoneRecordsAccountUpdatedWithWhatChanged() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("profile"));

        ada.write().body(Map.of("name", "Ada King", "locale", "et-EE", "timeZone", "Europe/Tallinn"))
                .patch("/v1/me").then().statusCode(200).body("name", equalTo("Ada King"))
                .body("locale", equalTo("et-EE"));
        ada.write().body(Map.of("name", "Ada King")).patch("/v1/me").then().statusCode(200);

        List<JsonNode> events = AccountsApi.outbox(dataSource, ada.accountId());
        assertThat(AccountsApi.types(events)).containsExactly("AccountCreated", "AccountUpdated");
        assertThat(events.get(1).at("/data/changed").toString()).isEqualTo("[\"locale\",\"name\",\"timeZone\"]");
        assertThat(events.get(1).at("/data/account/name").asText()).isEqualTo("Ada King");
        assertThat(ChainVerifier.firstBreak(events)).isEmpty();
    }

    @Test
    void aNewEmailIsUnverifiedUntilItsEmailedLinkIsOpened() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("verify"));
        verify(ada.email());
        String newEmail = AccountsApi.newEmail("moved");

        ada.write().body(Map.of("email", newEmail)).patch("/v1/me").then().statusCode(200)
                .body("email", equalTo(newEmail)).body("emailVerified", equalTo(false));
        verify(newEmail);

        ada.cookie().get("/v1/me").then().body("emailVerified", equalTo(true));
        List<JsonNode> events = AccountsApi.outbox(dataSource, ada.accountId());
        assertThat(AccountsApi.types(events))
                .containsExactly("AccountCreated", "EmailVerified", "AccountUpdated", "EmailVerified");
        assertThat(events.get(2).at("/data/changed").toString()).isEqualTo("[\"email\",\"emailVerified\"]");
        assertThat(events.get(3).at("/data/email").asText()).isEqualTo(newEmail);
    }

    @Test
    void aNewVerificationLinkCanBeAskedForUntilTheAddressIsVerified() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("resend"));
        tokenFromMail(ada.email());
        mailbox.clear();

        ada.write().post("/v1/me/email-verification").then().statusCode(202);
        verify(ada.email());
        mailbox.clear();
        ada.write().post("/v1/me/email-verification").then().statusCode(202);

        assertThat(mailbox.getMailsSentTo(ada.email())).isNullOrEmpty();
    }

    @Test
    void anAdminReadsAnyAccountButNobodyElseDoes() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("admin-read"));
        AccountsApi.Browser eve = AccountsApi.signUp(AccountsApi.newEmail("admin-read"));

        given().header("Authorization", AccountsApi.ADMIN).get("/v1/admin/accounts/" + ada.accountId())
                .then().statusCode(200).body("email", equalTo(ada.email()));
        eve.bearer().get("/v1/admin/accounts/" + ada.accountId()).then().statusCode(401);
        given().header("Authorization", AccountsApi.ADMIN).get("/v1/admin/accounts/" + java.util.UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aVerificationLinkWorksOnceAndAGuessedOneNever() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("once"));
        String token = tokenFromMail(ada.email());

        confirm(token).then().statusCode(200);
        confirm(token).then().statusCode(400).body("type", equalTo("https://usersync.dev/problems/link-invalid"));
        confirm("guessed-token-that-was-never-issued-00000000000").then().statusCode(400);
    }

    @Test
    void anEmailTakenByAnotherAccountIsRefusedAndChangesNothing() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("taken"));
        AccountsApi.Browser bob = AccountsApi.signUp(AccountsApi.newEmail("taken"));

        bob.write().body(Map.of("email", ada.email().toUpperCase(), "name", "Bob")).patch("/v1/me")
                .then().statusCode(409).body("type", equalTo("https://usersync.dev/problems/email-taken"));

        bob.cookie().get("/v1/me").then().body("email", equalTo(bob.email())).body("name", equalTo("Ada Lovelace"));
        assertThat(AccountsApi.types(AccountsApi.outbox(dataSource, bob.accountId()))).containsExactly("AccountCreated");
    }

    @Test
    void changingThePasswordEndsEveryOtherSession() throws Exception {
        String email = AccountsApi.newEmail("password");
        AccountsApi.Browser laptop = AccountsApi.signUp(email);
        AccountsApi.Browser phone = AccountsApi.login(email, PASSWORD);

        laptop.write().body(Map.of("currentPassword", PASSWORD, "newPassword", "a much better passphrase"))
                .post("/v1/me/password").then().statusCode(204);

        laptop.cookie().get("/v1/me").then().statusCode(200);
        phone.cookie().get("/v1/me").then().statusCode(401);
        AccountsApi.login(email, "a much better passphrase");
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD)).post("/v1/login")
                .then().statusCode(401);
        List<JsonNode> events = AccountsApi.outbox(dataSource, laptop.accountId());
        assertThat(AccountsApi.types(events)).containsExactly("AccountCreated", "SessionRevoked");
        assertThat(events.get(1).at("/data/reason").asText()).isEqualTo("PASSWORD_CHANGED");
        assertThat(events.get(1).at("/data/sessionIds").size()).isEqualTo(1);
    }

    @Test
    void aWrongCurrentPasswordChangesNothing() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("wrong-current"));

        ada.write().body(Map.of("currentPassword", "not it at all", "newPassword", "a much better passphrase"))
                .post("/v1/me/password").then().statusCode(403);

        AccountsApi.login(ada.email(), PASSWORD);
        assertThat(AccountsApi.types(AccountsApi.outbox(dataSource, ada.accountId()))).containsExactly("AccountCreated");
    }

    @Test
    void aPasswordResetByEmailedLinkEndsEverySessionAndProvesTheAddress() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("reset"));
        mailbox.clear();

        given().contentType(ContentType.JSON).body(Map.of("email", ada.email())).post("/v1/password-reset")
                .then().statusCode(202);
        String token = tokenFromMail(ada.email());
        given().contentType(ContentType.JSON).body(Map.of("token", token, "newPassword", "reset to something new"))
                .post("/v1/password-reset/confirm").then().statusCode(204);

        ada.cookie().get("/v1/me").then().statusCode(401);
        AccountsApi.login(ada.email(), "reset to something new").cookie().get("/v1/me").then()
                .body("emailVerified", equalTo(true));
        given().contentType(ContentType.JSON).body(Map.of("token", token, "newPassword", "and again something"))
                .post("/v1/password-reset/confirm").then().statusCode(400);
        assertThat(AccountsApi.types(AccountsApi.outbox(dataSource, ada.accountId())))
                .containsExactly("AccountCreated", "SessionRevoked", "EmailVerified");
    }

    @Test
    void aResetForAnUnknownEmailAnswersTheSameAndSendsNothing() {
        String nobody = AccountsApi.newEmail("nobody");

        given().contentType(ContentType.JSON).body(Map.of("email", nobody)).post("/v1/password-reset")
                .then().statusCode(202);

        assertThat(mailbox.getMailsSentTo(nobody)).isNullOrEmpty();
    }

    @Test
    void closingTheAccountNeedsThePasswordThenEndsEverything() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("close"));

        ada.write().body(Map.of("password", "not my password")).delete("/v1/me").then().statusCode(403);
        ada.write().body(Map.of("password", PASSWORD)).delete("/v1/me").then().statusCode(204);

        ada.cookie().get("/v1/me").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("email", ada.email(), "password", PASSWORD))
                .post("/v1/login").then().statusCode(401);
        List<JsonNode> events = AccountsApi.outbox(dataSource, ada.accountId());
        assertThat(AccountsApi.types(events)).containsExactly("AccountCreated", "AccountClosed", "SessionRevoked");
        assertThat(events.get(1).at("/data/account/status").asText()).isEqualTo("CLOSED");
        assertThat(events.get(2).at("/data/reason").asText()).isEqualTo("ACCOUNT_CLOSED");
        AccountsApi.signUp(ada.email());
    }

    @Test
    void anAdminGrantsAndRevokesProductsIdempotently() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("products"));
        String path = "/v1/admin/accounts/" + ada.accountId() + "/products/plan";

        given().header("Authorization", AccountsApi.ADMIN).put(path).then().statusCode(200)
                .body("products", equalTo(List.of("plan", "track")));
        given().header("Authorization", AccountsApi.ADMIN).put(path).then().statusCode(200);
        given().header("Authorization", AccountsApi.ADMIN).delete(path).then().statusCode(200)
                .body("products", equalTo(List.of("track")));
        given().header("Authorization", AccountsApi.ADMIN)
                .put("/v1/admin/accounts/" + ada.accountId() + "/products/chess").then().statusCode(400);
        given().put(path).then().statusCode(401);
        ada.bearer().put(path).then().statusCode(401);

        assertThat(AccountsApi.types(AccountsApi.outbox(dataSource, ada.accountId())))
                .containsExactly("AccountCreated", "ProductAccessGranted", "ProductAccessRevoked");
    }

    private void verify(String email) {
        confirm(tokenFromMail(email)).then().statusCode(200).body("emailVerified", equalTo(true));
    }

    private static io.restassured.response.Response confirm(String token) {
        return given().contentType(ContentType.JSON).body(Map.of("token", token))
                .post("/v1/email-verification/confirm");
    }

    private String tokenFromMail(String email) {
        List<Mail> mails = await().atMost(Duration.ofSeconds(10))
                .until(() -> mailbox.getMailsSentTo(email), m -> m != null && !m.isEmpty());
        Matcher token = TOKEN.matcher(mails.get(mails.size() - 1).getText());
        assertThat(token.find()).isTrue();
        return token.group(1);
    }
}
