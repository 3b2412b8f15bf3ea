package dev.usersync.track;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersync.events.EventCodec;
import dev.usersync.testsupport.AccountsServiceProcess;
import dev.usersync.testsupport.AccountsServiceResource;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Track against the real, packaged accounts service: its tokens, its key rotation, its relay. The token a browser got
 * at sign-up works in Track; a key rotated in accounts is picked up without restarting Track; a logout in accounts
 * reaches Track through the log.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(AccountsServiceResource.class)
class TrackWithAccountsServiceIT {

    private final AccountsServiceProcess accounts = AccountsServiceProcess.shared();
    private final HttpClient http = HttpClient.newHttpClient();

    record Session(String cookie, String csrf) {
    }

    @Test
    void signUpRotationAndLogoutInAccountsAreSeenByTrack() throws Exception {
        String email = "e2e-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        Session signUp = session(post("/v1/signup", "{\"email\":\"" + email + "\",\"password\":\"correct horse battery"
                + " staple\",\"name\":\"Ada Lovelace\",\"product\":\"track\"}", null));

        given().cookie("mesh_session", signUp.cookie()).get("/v1/track/me").then().statusCode(200)
                .body("fullname", equalTo("Ada Lovelace")).body("memberships[0].personal", equalTo(true));

        HttpResponse<String> rotated = http.send(HttpRequest.newBuilder(URI.create(accounts.url()
                + "/v1/admin/signing-keys/rotate")).header("Authorization", "Bearer " + accounts.adminKey())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(rotated.statusCode()).isEqualTo(200);
        Session afterRotation = session(post("/v1/login", "{\"email\":\"" + email + "\",\"password\":\"correct horse "
                + "battery staple\"}", null));
        assertThat(kid(afterRotation.cookie())).isNotEqualTo(kid(signUp.cookie()))
                .isEqualTo(EventCodec.mapper().readTree(rotated.body()).get("signingKid").asText());

        given().cookie("mesh_session", afterRotation.cookie()).get("/v1/track/me").then().statusCode(200);
        given().cookie("mesh_session", signUp.cookie()).get("/v1/track/me").then().statusCode(200);

        HttpResponse<String> logout = post("/v1/logout", "", signUp);
        assertThat(logout.statusCode()).isEqualTo(204);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().cookie("mesh_session", signUp.cookie())
                .get("/v1/track/me").statusCode() == 401);
        given().cookie("mesh_session", afterRotation.cookie()).get("/v1/track/me").then().statusCode(200);
    }

    private HttpResponse<String> post(String path, String json, Session session) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(accounts.url() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (session != null) {
            request.header("Cookie", "mesh_session=" + session.cookie()).header("X-CSRF-Token", session.csrf());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Session session(HttpResponse<String> response) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isBetween(200, 201);
        String cookie = response.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("mesh_session=")).findFirst().orElseThrow();
        JsonNode body = EventCodec.mapper().readTree(response.body());
        return new Session(cookie.substring("mesh_session=".length(), cookie.indexOf(';')),
                body.get("csrfToken").asText());
    }

    private static String kid(String token) throws Exception {
        return EventCodec.mapper().readTree(new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]),
                StandardCharsets.UTF_8)).get("kid").asText();
    }
}
