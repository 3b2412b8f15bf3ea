package dev.usersync.accounts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import dev.usersync.accounts.oauth.service.OAuthService;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Native apps: authorization code with PKCE (S256), rotating refresh tokens, reuse detection. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class OAuthTest {

    static final String CLIENT = "test-app";
    private static final String REDIRECT = "com.example.test:/cb";
    private static final String PLAN_REDIRECT = "http://127.0.0.1:4000/plan";

    @Inject
    DataSource dataSource;

    record Tokens(String access, String refresh, long expiresIn, String idToken) {
    }

    @Test
    void theCodeFlowWithPkceIssuesAnHourLongAccessTokenAndARefreshToken() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("oauth"));
        String verifier = verifier();

        Tokens tokens = exchange(authorize(ada, OAuthService.challengeOf(verifier), "xyz"), verifier);

        assertThat(tokens.expiresIn()).isEqualTo(3600);
        given().header("Authorization", "Bearer " + tokens.access()).get("/v1/me").then().statusCode(200)
                .body("id", equalTo(ada.accountId().toString()));
        assertThat(SignedJWT.parse(tokens.access()).getJWTClaimsSet().getStringClaim("client_id")).isEqualTo(CLIENT);
    }

    @Test
    void aRefreshTokenRotatesOnEveryUse() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("rotate"));
        String verifier = verifier();
        Tokens first = exchange(authorize(ada, OAuthService.challengeOf(verifier), null), verifier);

        Tokens second = refresh(first.refresh()).then().statusCode(200).extract().as(TokenBody.class).tokens();
        Tokens third = refresh(second.refresh()).then().statusCode(200).extract().as(TokenBody.class).tokens();

        assertThat(List.of(first.refresh(), second.refresh(), third.refresh())).doesNotHaveDuplicates();
        given().header("Authorization", "Bearer " + third.access()).get("/v1/me").then().statusCode(200);
    }

    @Test
    void aRefreshTokenUsedTwiceRevokesItsFamilyAndSession() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("reuse"));
        String verifier = verifier();
        Tokens first = exchange(authorize(ada, OAuthService.challengeOf(verifier), null), verifier);
        Tokens second = refresh(first.refresh()).then().statusCode(200).extract().as(TokenBody.class).tokens();

        refresh(first.refresh()).then().statusCode(400).contentType("application/json")
                .body("error", equalTo("invalid_grant"));

        refresh(second.refresh()).then().statusCode(400).body("error", equalTo("invalid_grant"));
        given().header("Authorization", "Bearer " + second.access()).get("/v1/me").then().statusCode(401);
        ada.cookie().get("/v1/me").then().statusCode(200);
        List<JsonNode> events = AccountsApi.outbox(dataSource, ada.accountId());
        assertThat(AccountsApi.types(events)).containsExactly("AccountCreated", "SessionRevoked");
        assertThat(events.get(1).at("/data/reason").asText()).isEqualTo("REFRESH_TOKEN_REUSED");
        given().header("Authorization", AccountsApi.ADMIN)
                .get("/v1/admin/auth-log?accountId=" + ada.accountId() + "&action=refresh-token-reuse")
                .then().statusCode(200).body("total", equalTo(1));
    }

    @Test
    void aVerifierThatDoesNotMatchTheChallengeGetsNoTokensAndTheCodeIsNotSpent() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("pkce"));
        String verifier = verifier();
        String code = authorize(ada, OAuthService.challengeOf(verifier), null);

        token(code, verifier()).then().statusCode(400).body("error", equalTo("invalid_grant"))
                .body("error_description", equalTo("the code_verifier does not match the code_challenge"));

        exchange(code, verifier);
    }

    /** A code presented again means it leaked: it is refused and the session made from it ends (RFC 6749 4.1.2). */
    @Test
    void aCodeWorksOnceAndItsReplayEndsTheSessionItMade() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("code-once"));
        String verifier = verifier();
        String code = authorize(ada, OAuthService.challengeOf(verifier), null);
        Tokens tokens = exchange(code, verifier);

        token(code, verifier).then().statusCode(400).body("error", equalTo("invalid_grant"));

        given().header("Authorization", "Bearer " + tokens.access()).get("/v1/me").then().statusCode(401);
        refresh(tokens.refresh()).then().statusCode(400);
        ada.cookie().get("/v1/me").then().statusCode(200);
    }

    @Test
    void aRedirectUriThatIsNotRegisteredIsRefusedWithoutRedirecting() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("redirect"));

        ada.cookie().redirects().follow(false)
                .queryParam("response_type", "code").queryParam("client_id", CLIENT)
                .queryParam("redirect_uri", "https://evil.example/cb")
                .queryParam("code_challenge", OAuthService.challengeOf(verifier()))
                .queryParam("code_challenge_method", "S256")
                .get("/oauth2/authorize").then().statusCode(400).header("Location", org.hamcrest.Matchers.nullValue())
                .body("error", equalTo("invalid_request"));
        given().formParam("grant_type", "authorization_code").formParam("client_id", CLIENT)
                .formParam("code", "x").formParam("redirect_uri", "https://evil.example/cb")
                .formParam("code_verifier", verifier()).post("/oauth2/token").then().statusCode(400);
    }

    @Test
    void plainPkceAndMissingChallengesAreRedirectedBackAsErrors() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("plain"));
        String verifier = verifier();

        Response plain = ada.cookie().redirects().follow(false)
                .queryParam("response_type", "code").queryParam("client_id", CLIENT)
                .queryParam("redirect_uri", REDIRECT).queryParam("code_challenge", verifier)
                .queryParam("code_challenge_method", "plain").queryParam("state", "s1")
                .get("/oauth2/authorize");

        assertThat(plain.statusCode()).isEqualTo(303);
        assertThat(plain.header("Location")).startsWith(REDIRECT).contains("error=invalid_request")
                .contains("state=s1").doesNotContain("code=");
    }

    @Test
    void authorizingNeedsASignedInBrowser() {
        anAuthorizationRequest().get("/oauth2/authorize").then().statusCode(401);
    }

    /** A leaked session JWT or access token cannot mint a refresh family: only the browser's cookie authorizes. */
    @Test
    void aBearerTokenCannotAuthorizeAnApp() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("bearer-authorize"));
        String verifier = verifier();
        Tokens app = exchange(authorize(ada, OAuthService.challengeOf(verifier), null), verifier);

        for (String token : List.of(ada.sessionCookie(), app.access())) {
            anAuthorizationRequest().header("Authorization", "Bearer " + token).get("/oauth2/authorize").then()
                    .statusCode(401);
        }
    }

    /** An app's access token names its client's audience, and is refused by the accounts API when that lacks it. */
    @Test
    void anAccessTokenIsConfinedToItsClientsAudience() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("audience"));
        String verifier = verifier();
        Tokens track = exchange(authorize(ada, OAuthService.challengeOf(verifier), null), verifier);
        SignedJWT access = SignedJWT.parse(track.access());
        assertThat(access.getHeader().getType().getType()).isEqualTo("at+jwt");
        assertThat(access.getJWTClaimsSet().getAudience()).containsExactly("track", "accounts");

        String planVerifier = verifier();
        Tokens plan = exchange(authorize(ada, "plan-app", PLAN_REDIRECT, OAuthService.challengeOf(planVerifier),
                null), "plan-app", PLAN_REDIRECT, planVerifier);
        assertThat(SignedJWT.parse(plan.access()).getJWTClaimsSet().getAudience()).containsExactly("plan");
        given().header("Authorization", "Bearer " + plan.access()).get("/v1/me").then().statusCode(401)
                .body("detail", equalTo("this token is not for the accounts API"));
    }

    /** A code is bound to the browser session that approved it: once that session ends, the code is worthless. */
    @Test
    void aCodeIsRefusedOnceTheBrowserSessionThatApprovedItHasEnded() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("code-session"));
        String verifier = verifier();
        String code = authorize(ada, OAuthService.challengeOf(verifier), null);

        ada.write().post("/v1/logout").then().statusCode(204);

        token(code, verifier).then().statusCode(400).body("error", equalTo("invalid_grant"));
    }

    @Test
    void revokingARefreshTokenEndsTheAppSession() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("revoke"));
        String verifier = verifier();
        Tokens tokens = exchange(authorize(ada, OAuthService.challengeOf(verifier), null), verifier);

        given().formParam("token", tokens.refresh()).formParam("client_id", CLIENT).post("/oauth2/revoke")
                .then().statusCode(200);
        given().formParam("token", "never-issued").formParam("client_id", CLIENT).post("/oauth2/revoke")
                .then().statusCode(200);

        given().header("Authorization", "Bearer " + tokens.access()).get("/v1/me").then().statusCode(401);
        refresh(tokens.refresh()).then().statusCode(400);
    }

    @Test
    void unknownGrantTypesAndClientsAreRefused() {
        given().formParam("grant_type", "password").formParam("client_id", CLIENT).post("/oauth2/token")
                .then().statusCode(400).body("error", equalTo("unsupported_grant_type"));
        given().formParam("grant_type", "refresh_token").formParam("client_id", "nobody")
                .formParam("refresh_token", "x").post("/oauth2/token")
                .then().statusCode(401).body("error", equalTo("invalid_client"));
    }

    record TokenBody(String access_token, String token_type, long expires_in, String refresh_token, String scope,
            String id_token) {
        Tokens tokens() {
            assertThat(token_type).isEqualTo("Bearer");
            return new Tokens(access_token, refresh_token, expires_in, id_token);
        }
    }

    static String authorize(AccountsApi.Browser browser, String challenge, String state) {
        return authorize(browser, CLIENT, REDIRECT, challenge, state);
    }

    static String authorize(AccountsApi.Browser browser, String client, String redirect, String challenge,
            String state) {
        var request = browser.cookie().redirects().follow(false)
                .queryParam("response_type", "code").queryParam("client_id", client)
                .queryParam("redirect_uri", redirect).queryParam("code_challenge", challenge)
                .queryParam("code_challenge_method", "S256");
        if (state != null) {
            request.queryParam("state", state);
        }
        Response response = confirm(browser, request.get("/oauth2/authorize"), Map.of());
        assertThat(response.statusCode()).isEqualTo(303);
        URI location = URI.create(response.header("Location"));
        assertThat(location.toString()).startsWith(redirect + "?");
        Map<String, String> answer = query(location);
        if (state != null) {
            assertThat(answer.get("state")).isEqualTo(state);
        }
        assertThat(answer).containsKey("code");
        return answer.get("code");
    }

    /** Answers the confirmation page, if {@code page} is one, as the person would: allow, with any extra fields. */
    static Response confirm(AccountsApi.Browser browser, Response page, Map<String, String> extra) {
        if (page.statusCode() != 200) {
            return page;
        }
        Map<String, String> form = hiddenFields(page.asString());
        form.put("decision", "allow");
        form.putAll(extra);
        return browser.cookie().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParams(form).post("/oauth2/authorize");
    }

    static Map<String, String> hiddenFields(String html) {
        Map<String, String> fields = new java.util.LinkedHashMap<>();
        java.util.regex.Matcher hidden = java.util.regex.Pattern
                .compile("<input type=\"hidden\" name=\"([^\"]*)\" value=\"([^\"]*)\">").matcher(html);
        while (hidden.find()) {
            fields.put(hidden.group(1), unescape(hidden.group(2)));
        }
        return fields;
    }

    private static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&amp;", "&");
    }

    /** The query parameters of a redirect, decoded. */
    static Map<String, String> query(URI location) {
        Map<String, String> parameters = new java.util.LinkedHashMap<>();
        for (String pair : location.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            parameters.put(pair.substring(0, eq), java.net.URLDecoder.decode(pair.substring(eq + 1),
                    java.nio.charset.StandardCharsets.UTF_8));
        }
        return parameters;
    }

    private static Response token(String code, String verifier) {
        return token(code, CLIENT, REDIRECT, verifier);
    }

    private static Response token(String code, String client, String redirect, String verifier) {
        return given().formParam("grant_type", "authorization_code").formParam("client_id", client)
                .formParam("code", code).formParam("redirect_uri", redirect).formParam("code_verifier", verifier)
                .post("/oauth2/token");
    }

    static Tokens exchange(String code, String verifier) {
        return exchange(code, CLIENT, REDIRECT, verifier);
    }

    static Tokens exchange(String code, String client, String redirect, String verifier) {
        return token(code, client, redirect, verifier).then().statusCode(200).header("Cache-Control", "no-store")
                .extract().as(TokenBody.class).tokens();
    }

    private static Response refresh(String refreshToken) {
        return given().formParam("grant_type", "refresh_token").formParam("client_id", CLIENT)
                .formParam("refresh_token", refreshToken).post("/oauth2/token");
    }

    static String verifier() {
        return (UUID.randomUUID() + "-" + UUID.randomUUID()).replace("-", "");
    }

    /** A well-formed authorization request of the test app, without any credential yet. */
    private static RequestSpecification anAuthorizationRequest() {
        return given().redirects().follow(false)
                .queryParam("response_type", "code").queryParam("client_id", CLIENT)
                .queryParam("redirect_uri", REDIRECT)
                .queryParam("code_challenge", OAuthService.challengeOf(verifier()))
                .queryParam("code_challenge_method", "S256");
    }
}
