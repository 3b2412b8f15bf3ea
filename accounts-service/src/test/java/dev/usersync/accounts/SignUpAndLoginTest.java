package dev.usersync.accounts;

import static dev.usersync.accounts.AccountsApi.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersync.events.ChainVerifier;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class SignUpAndLoginTest {

    @Inject
    DataSource dataSource;

    @Inject
    MockMailbox mailbox;

    @BeforeEach
    void clearMail() {
        mailbox.clear();
    }

    @Test
    void signUpCreatesTheAccountSignsInAndRecordsAccountCreatedWithTheSignUpContext() throws Exception {
        String email = AccountsApi.newEmail("signup");

        Response response = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD, "name", "Ada", "product", "track",
                        "invitation", "inv-123"))
                .post("/v1/signup").then().statusCode(201).extract().response();

        List<String> setCookies = response.headers().getValues("Set-Cookie");
        assertThat(setCookies).anySatisfy(c -> assertThat(c).startsWith("mesh_session=").contains("HttpOnly")
                .containsIgnoringCase("SameSite=Lax").contains("Path=/"));
        assertThat(setCookies).anySatisfy(c -> assertThat(c).startsWith("mesh_csrf=").doesNotContain("HttpOnly"));
        UUID accountId = UUID.fromString(response.path("accountId"));

        List<JsonNode> events = AccountsApi.outbox(dataSource, accountId);
        assertThat(AccountsApi.types(events)).containsExactly("AccountCreated");
        JsonNode created = events.get(0);
        assertThat(created.get("sequence").asLong()).isEqualTo(1);
        assertThat(created.at("/data/signUp/product").asText()).isEqualTo("track");
        assertThat(created.at("/data/signUp/invitation").asText()).as("the invitation's digest, never the code")
                .isEqualTo(dev.usersync.events.SignUpContext.digest("inv-123"));
        assertThat(created.toString()).doesNotContain("inv-123");
        assertThat(created.at("/data/account/email").asText()).isEqualTo(email);
        assertThat(created.at("/data/account/products").toString()).isEqualTo("[\"track\"]");
        assertThat(dev.usersync.events.EventSchemas.validate(created)).isEmpty();
        assertThat(mailbox.getMailsSentTo(email)).singleElement()
                .satisfies(mail -> assertThat(mail.getText()).contains("/verify-email?token="));
    }

    @Test
    void theSessionCookieAndTheSameTokenAsBearerBothReadTheAccount() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("me"));

        ada.cookie().get("/v1/me").then().statusCode(200).body("email", equalTo(ada.email()))
                .body("products[0]", equalTo("track")).body("emailVerified", equalTo(false));
        ada.bearer().get("/v1/me").then().statusCode(200).body("id", equalTo(ada.accountId().toString()));
    }

    @Test
    void loginWithTheRightPasswordOpensANewSession() {
        String email = AccountsApi.newEmail("login");
        AccountsApi.Browser first = AccountsApi.signUp(email);

        AccountsApi.Browser second = AccountsApi.login(email.toUpperCase(), PASSWORD);

        assertThat(second.accountId()).isEqualTo(first.accountId());
        assertThat(second.sessionCookie()).isNotEqualTo(first.sessionCookie());
        second.cookie().get("/v1/me").then().statusCode(200);
    }

    @Test
    void aWrongPasswordAndAnUnknownEmailGetTheSameAnswer() {
        String email = AccountsApi.newEmail("same");
        AccountsApi.signUp(email);

        Response wrongPassword = given().contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", "not the password")).post("/v1/login");
        Response unknownEmail = given().contentType(ContentType.JSON)
                .body(Map.of("email", AccountsApi.newEmail("nobody"), "password", "not the password"))
                .post("/v1/login");

        assertThat(wrongPassword.statusCode()).isEqualTo(401);
        assertThat(unknownEmail.statusCode()).isEqualTo(401);
        assertThat(wrongPassword.contentType()).startsWith("application/problem+json");
        assertThat(wrongPassword.body().asString()).isEqualTo(unknownEmail.body().asString());
        assertThat(wrongPassword.getCookie("mesh_session")).isNull();
    }

    @Test
    void anImportedBcryptHashLogsInAndIsReplacedByArgon2id() throws Exception {
        String email = AccountsApi.newEmail("legacy");
        AccountsApi.Browser ada = AccountsApi.signUp(email);
        String bcrypt = OpenBSDBCrypt.generate("legacy password 42".toCharArray(), new byte[16], 10);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE credentials SET algorithm = 'bcrypt', hash = ? WHERE account_id = ?")) {
            s.setString(1, bcrypt);
            s.setObject(2, ada.accountId());
            s.executeUpdate();
        }

        AccountsApi.login(email, "legacy password 42");

        assertThat(AccountsApi.count(dataSource, "SELECT count(*) FROM credentials WHERE account_id = '"
                + ada.accountId() + "' AND algorithm = 'argon2id' AND hash LIKE '$argon2id$v=19$m=19456,t=2,p=1$%'"))
                .isEqualTo(1);
        AccountsApi.login(email, "legacy password 42");
    }

    @Test
    void logoutEndsTheSessionAndRecordsSessionRevoked() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("logout"));

        Response logout = ada.write().post("/v1/logout").then().statusCode(204).extract().response();

        assertThat(logout.headers().getValues("Set-Cookie")).anySatisfy(c -> assertThat(c)
                .startsWith("mesh_session=;").contains("Max-Age=0"));
        ada.cookie().get("/v1/me").then().statusCode(401).body("detail", equalTo("the session has ended"));
        ada.bearer().get("/v1/me").then().statusCode(401);
        List<JsonNode> events = AccountsApi.outbox(dataSource, ada.accountId());
        assertThat(AccountsApi.types(events)).containsExactly("AccountCreated", "SessionRevoked");
        assertThat(events.get(1).at("/data/reason").asText()).isEqualTo("LOGOUT");
        assertThat(ChainVerifier.firstBreak(events)).isEmpty();
    }

    @Test
    void theDiscoveryDocumentAndKeySetArePublished() {
        given().get("/.well-known/openid-configuration").then().statusCode(200)
                .body("jwks_uri", startsWith("http")).body("code_challenge_methods_supported", equalTo(List.of("S256")));
        given().get("/.well-known/jwks.json").then().statusCode(200)
                .body("keys.size()", org.hamcrest.Matchers.greaterThanOrEqualTo(2)).body("keys[0].kty", equalTo("OKP"))
                .body("keys[0].crv", equalTo("Ed25519")).body("keys[0].alg", equalTo("EdDSA"));
    }

    /** A product name nobody configured is refused before anything is recorded, whatever its length. */
    @Test
    void aLoginNamingAnUnknownProductIs400() {
        String email = AccountsApi.newEmail("odd-product");
        AccountsApi.signUp(email);

        given().contentType(io.restassured.http.ContentType.JSON).body(java.util.Map.of("email", email, "password",
                AccountsApi.PASSWORD, "product", "x".repeat(5000))).post("/v1/login").then().statusCode(400)
                .contentType("application/problem+json");
    }
}
