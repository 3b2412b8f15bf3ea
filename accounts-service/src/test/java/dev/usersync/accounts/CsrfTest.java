package dev.usersync.accounts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.usersync.accounts.account.rest.AccountResource;
import dev.usersync.accounts.session.rest.SessionResource;
import dev.usersync.accounts.session.rest.SignedInCaller;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.ws.rs.Path;
import java.lang.reflect.Method;
import java.util.List;
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

        for (var write : List.<java.util.function.Function<io.restassured.specification.RequestSpecification,
                io.restassured.response.Response>>of(
                r -> r.contentType(ContentType.JSON).body(Map.of("name", "Mallory")).patch("/v1/me"),
                r -> r.post("/v1/me/email-verification"),
                r -> r.contentType(ContentType.JSON).body(Map.of("newPassword", "an entirely new passphrase"))
                        .post("/v1/me/password"),
                r -> r.contentType(ContentType.JSON).body(Map.of()).delete("/v1/me"),
                r -> r.post("/v1/logout"))) {
            write.apply(ada.cookie()).then().statusCode(403).contentType("application/problem+json")
                    .body("type", equalTo("https://usersync.dev/problems/forbidden"));
        }

        ada.cookie().get("/v1/me").then().statusCode(200).body("name", equalTo("Ada Lovelace"));
    }

    /** No endpoint of the signed-in caller's API is left out of the filter. */
    @Test
    void everyEndpointOfTheSignedInCallerIsMarked() {
        for (Class<?> resource : List.of(AccountResource.class, SessionResource.class)) {
            for (Method method : resource.getDeclaredMethods()) {
                Path path = method.getAnnotation(Path.class);
                if (path != null && (path.value().startsWith("/me") || path.value().equals("/logout"))) {
                    assertThat(method.isAnnotationPresent(SignedInCaller.class)).as(resource.getSimpleName() + "."
                            + method.getName()).isTrue();
                }
            }
        }
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
