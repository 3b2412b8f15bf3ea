package dev.usersync.accounts;

import static dev.usersync.accounts.AccountsApi.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Every bad input gets RFC 9457 problem details saying what is wrong, and changes nothing. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class BadInputTest {

    private static final String PROBLEMS = "https://usersync.dev/problems/";

    @Inject
    DataSource dataSource;

    @Test
    void malformedJson() {
        unchanged(() -> signUpRaw("{\"email\": \"a@example.com\", \"password\": ").statusCode(400)
                .body("type", equalTo(PROBLEMS + "malformed-json")));
    }

    @Test
    void jsonOfTheWrongShape() {
        unchanged(() -> signUpRaw("[1, 2, 3]").statusCode(400).body("type", equalTo(PROBLEMS + "malformed-json")));
    }

    @Test
    void anOversizedBody() {
        Map<String, Object> body = signUp(AccountsApi.newEmail("big"));
        body.put("name", "x".repeat(70_000));
        unchanged(() -> given().contentType(ContentType.JSON).body(body).post("/v1/signup").then()
                .statusCode(413).contentType("application/problem+json")
                .body("type", equalTo(PROBLEMS + "body-too-large")));
    }

    @Test
    void anInvalidEmail() {
        for (String email : new String[] {"not-an-email", "a@b", "two@@example.com", "spaces in@example.com", ""}) {
            Map<String, Object> body = signUp(email);
            unchanged(() -> post(body).statusCode(400).body("type", equalTo(PROBLEMS + "invalid-email")));
        }
    }

    @Test
    void aWeakPassword() {
        for (String password : new String[] {"short", "password123", "aaaaaaaaaaaaaaaa", "x".repeat(300)}) {
            Map<String, Object> body = signUp(AccountsApi.newEmail("weak"));
            body.put("password", password);
            unchanged(() -> post(body).statusCode(400).body("type", equalTo(PROBLEMS + "weak-password")));
        }
    }

    @Test
    void missingRequiredFieldsAreListed() {
        unchanged(() -> signUpRaw("{\"email\": \"x@example.com\"}").statusCode(400)
                .body("type", equalTo(PROBLEMS + "invalid-request"))
                .body("errors.field", hasItem("password"))
                .body("errors.field", hasItem("product")));
    }

    @Test
    void anUnknownProductLocaleTimeZoneOrName() {
        Map<String, Object> product = signUp(AccountsApi.newEmail("product"));
        product.put("product", "chess");
        unchanged(() -> post(product).statusCode(400).body("type", equalTo(PROBLEMS + "unknown-product")));
        Map<String, Object> zone = signUp(AccountsApi.newEmail("zone"));
        zone.put("timeZone", "Mars/Olympus");
        unchanged(() -> post(zone).statusCode(400).body("type", equalTo(PROBLEMS + "invalid-time-zone")));
        Map<String, Object> locale = signUp(AccountsApi.newEmail("locale"));
        locale.put("locale", "not a tag!");
        unchanged(() -> post(locale).statusCode(400).body("type", equalTo(PROBLEMS + "invalid-locale")));
        Map<String, Object> name = signUp(AccountsApi.newEmail("name"));
        name.put("name", "Bobby\u0000Tables");
        unchanged(() -> post(name).statusCode(400).body("type", equalTo(PROBLEMS + "invalid-name")));
    }

    @Test
    void anEmailThatIsTakenInAnyCase() {
        String email = AccountsApi.newEmail("dup");
        AccountsApi.signUp(email);
        unchanged(() -> post(signUp(email.toUpperCase())).statusCode(409)
                .body("type", equalTo(PROBLEMS + "email-taken")));
    }

    @Test
    void theWrongContentType() {
        unchanged(() -> given().contentType(ContentType.TEXT).body("email=a@example.com").post("/v1/signup").then()
                .statusCode(415).contentType("application/problem+json"));
    }

    /**
     * Values the event schema rejects were once accepted here: from then on every event of the account, revocations
     * included, was dead-lettered by every product and single logout stopped working for it.
     */
    @Test
    void profileValuesTheEventSchemaRejectsAreRefusedAndChangeNothing() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("schema-rules"));
        Map<String, String> refused = Map.of(
                "locale", "en-" + "abcdefgh-".repeat(4) + "x",
                "email", "a..b@example.com",
                "name", "Ada\u0007",
                "timeZone", "+02:00");
        refused.forEach((field, value) -> unchanged(() -> ada.write().body(Map.of(field, value)).patch("/v1/me")
                .then().statusCode(400).contentType("application/problem+json")));
        for (String email : new String[] {".a@example.com", "a.@example.com", "ä@example.com"}) {
            unchanged(() -> ada.write().body(Map.of("email", email)).patch("/v1/me").then().statusCode(400)
                    .body("type", equalTo(PROBLEMS + "invalid-email")));
        }
        Map<String, Object> blankInvitation = signUp(AccountsApi.newEmail("blank-invitation"));
        blankInvitation.put("invitation", "has spaces in it");
        unchanged(() -> post(blankInvitation).statusCode(400).body("type", equalTo(PROBLEMS + "invalid-invitation")));
        ada.cookie().get("/v1/me").then().body("locale", equalTo("en-GB")).body("email", equalTo(ada.email()));
    }

    @Test
    void badProfileChangesChangeNothing() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("bad-profile"));
        unchanged(() -> ada.write().body(Map.of("name", "Ada", "email", "nope")).patch("/v1/me").then()
                .statusCode(400));
        unchanged(() -> ada.write().body("{\"name\": ").patch("/v1/me").then().statusCode(400));
        ada.cookie().get("/v1/me").then().body("name", equalTo("Ada Lovelace"));
    }

    private void unchanged(Supplier<ValidatableResponse> request) {
        long accounts = count("SELECT count(*) FROM accounts");
        long outbox = count("SELECT count(*) FROM outbox");
        request.get();
        assertThat(count("SELECT count(*) FROM accounts")).as("accounts").isEqualTo(accounts);
        assertThat(count("SELECT count(*) FROM outbox")).as("outbox rows").isEqualTo(outbox);
    }

    private long count(String sql) {
        try {
            return AccountsApi.count(dataSource, sql);
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
    }

    private static Map<String, Object> signUp(String email) {
        return new HashMap<>(Map.of("email", email, "password", PASSWORD, "product", "track"));
    }

    private static ValidatableResponse post(Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).post("/v1/signup").then()
                .contentType("application/problem+json");
    }

    private static ValidatableResponse signUpRaw(String json) {
        return given().contentType(ContentType.JSON).body(json).post("/v1/signup").then()
                .contentType("application/problem+json");
    }
}
