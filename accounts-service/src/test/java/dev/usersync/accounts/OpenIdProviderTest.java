package dev.usersync.accounts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The accounts service as a standard OpenID Provider for the code flow: RFC 6749 errors, {@code state} echoed exactly,
 * a confirmation before codes go to an app, the password for a first approval after an old sign-in, userinfo,
 * RP-initiated logout, and a discovery document that announces what is implemented.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class OpenIdProviderTest {

    private static final String CLIENT = OAuthTest.CLIENT;
    private static final String CUSTOM_SCHEME = "com.example.test:/cb";
    private static final String HTTPS = "https://app.example.com/cb";

    @Inject
    DataSource dataSource;

    @Test
    void tokenEndpointErrorsAreJsonThatStandardClientsRead() {
        Response refused = given().formParam("grant_type", "authorization_code").formParam("client_id", CLIENT)
                .formParam("code", "never-issued").formParam("redirect_uri", CUSTOM_SCHEME)
                .formParam("code_verifier", OAuthTest.verifier()).post("/oauth2/token");

        refused.then().statusCode(400).header("Cache-Control", "no-store").body("error", equalTo("invalid_grant"))
                .body("error_description", not(equalTo("")));
        assertThat(refused.contentType()).startsWith("application/json");
        given().formParam("grant_type", "refresh_token").formParam("client_id", "nobody")
                .formParam("refresh_token", "x").post("/oauth2/token").then().statusCode(401)
                .contentType("application/json").body("error", equalTo("invalid_client"));
    }

    @Test
    void stateComesBackExactlyAsSentOnCodesAndOnErrors() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("state"));
        String state = "{x} a+b&c=d/é%41?#";

        String verifier = OAuthTest.verifier();
        OAuthTest.authorize(ada, CLIENT, CUSTOM_SCHEME, OAuthService.challengeOf(verifier), state);

        Response error = request(ada, CUSTOM_SCHEME).queryParam("state", state)
                .queryParam("code_challenge_method", "plain").get("/oauth2/authorize");
        assertThat(error.statusCode()).isEqualTo(303);
        Map<String, String> answer = OAuthTest.query(URI.create(error.header("Location")));
        assertThat(answer).containsEntry("state", state).containsEntry("error", "invalid_request")
                .containsEntry("iss", "http://localhost:8080");
    }

    /** RFC 8252 section 8.6: any app on the device can claim a custom scheme, so a person confirms every code. */
    @Test
    void aCustomSchemeAppGetsNoCodeWithoutThePersonConfirming() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("consent"));

        for (int attempt = 0; attempt < 2; attempt++) {
            Response page = request(ada, CUSTOM_SCHEME).get("/oauth2/authorize");
            page.then().statusCode(200).contentType(containsString("text/html"))
                    .header("X-Frame-Options", "DENY").header("Location", org.hamcrest.Matchers.nullValue())
                    .body(containsString("Allow Test App")).body(containsString(CUSTOM_SCHEME));
            OAuthTest.authorize(ada, CLIENT, CUSTOM_SCHEME, OAuthService.challengeOf(OAuthTest.verifier()), null);
        }

        Map<String, String> form = OAuthTest.hiddenFields(request(ada, CUSTOM_SCHEME).get("/oauth2/authorize")
                .asString());
        form.put("decision", "deny");
        Response denied = post(ada.cookie(), form);
        assertThat(OAuthTest.query(URI.create(denied.header("Location")))).containsEntry("error", "access_denied")
                .doesNotContainKey("code");

        form.put("decision", "allow");
        form.put("csrf", "forged");
        post(ada.cookie(), form).then().statusCode(403);
        form.remove("csrf");
        post(ada.cookie(), form).then().statusCode(403);
        post(given().redirects().follow(false), form).then().statusCode(401);
    }

    @Test
    void anHttpsAppApprovedBeforeGetsItsCodeAtOnceUnlessItAsksForConsent() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("https-app"));
        Response first = request(ada, HTTPS).queryParam("scope", "openid profile").get("/oauth2/authorize");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(OAuthTest.query(URI.create(OAuthTest.confirm(ada, first, Map.of()).header("Location"))))
                .containsKey("code");

        Response direct = request(ada, HTTPS).queryParam("scope", "openid").get("/oauth2/authorize");
        assertThat(direct.statusCode()).isEqualTo(303);
        assertThat(OAuthTest.query(URI.create(direct.header("Location")))).containsKey("code");
        request(ada, HTTPS).queryParam("scope", "openid email").get("/oauth2/authorize").then().statusCode(200);
        request(ada, HTTPS).queryParam("prompt", "consent").get("/oauth2/authorize").then().statusCode(200);
        Response silent = request(ada, CUSTOM_SCHEME).queryParam("prompt", "none").get("/oauth2/authorize");
        assertThat(OAuthTest.query(URI.create(silent.header("Location"))))
                .containsEntry("error", "consent_required");
        Response nobody = request(null, CUSTOM_SCHEME).queryParam("prompt", "none").get("/oauth2/authorize");
        assertThat(OAuthTest.query(URI.create(nobody.header("Location")))).containsEntry("error", "login_required");
    }

    /** A stolen cookie of an old sign-in cannot approve a new app: the first approval needs the password. */
    @Test
    void theFirstApprovalOfAnAppAfterAnOldSignInNeedsThePassword() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("first-approval"));
        age(ada, "1 hour");

        Response page = request(ada, CUSTOM_SCHEME).get("/oauth2/authorize");
        page.then().statusCode(200).body(containsString("type=\"password\""));
        Map<String, String> form = OAuthTest.hiddenFields(page.asString());
        form.put("decision", "allow");
        post(ada.cookie(), form).then().statusCode(403).body(containsString("Type your password"));
        form.put("password", "not the password");
        post(ada.cookie(), form).then().statusCode(403).body(containsString("not right"));
        form.put("password", AccountsApi.PASSWORD);
        Response approved = post(ada.cookie(), form);
        assertThat(OAuthTest.query(URI.create(approved.header("Location")))).containsKey("code");

        age(ada, "1 hour");
        request(ada, CUSTOM_SCHEME).get("/oauth2/authorize").then().statusCode(200)
                .body(not(containsString("type=\"password\"")));
        request(ada, CUSTOM_SCHEME).queryParam("max_age", "60").get("/oauth2/authorize").then().statusCode(200)
                .body(containsString("type=\"password\""));
    }

    @Test
    void userinfoAnswersWhatTheScopeAllowsToALiveAppSession() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("userinfo"));

        OAuthTest.Tokens all = tokens(ada, "openid profile email offline_access");
        given().auth().oauth2(all.access()).get("/oauth2/userinfo").then().statusCode(200)
                .contentType("application/json")
                .body("sub", equalTo(ada.accountId().toString())).body("name", equalTo("Ada Lovelace"))
                .body("locale", equalTo("en-GB")).body("zoneinfo", equalTo("Europe/London"))
                .body("email", equalTo(ada.email())).body("email_verified", equalTo(false));
        given().auth().oauth2(tokens(ada, "openid").access()).formParam("x", "y").post("/oauth2/userinfo").then()
                .statusCode(200).body("sub", equalTo(ada.accountId().toString()))
                .body("$", not(org.hamcrest.Matchers.hasKey("email")));
        given().auth().oauth2(tokens(ada, "").access()).get("/oauth2/userinfo").then().statusCode(403)
                .header("WWW-Authenticate", containsString("insufficient_scope"));
        given().auth().oauth2(ada.sessionCookie()).get("/oauth2/userinfo").then().statusCode(401)
                .header("WWW-Authenticate", containsString("invalid_token"));
        given().get("/oauth2/userinfo").then().statusCode(401).header("WWW-Authenticate", "Bearer");
    }

    @Test
    void rpInitiatedLogoutEndsTheAppAndBrowserSessionsThroughTheLog() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("end-session"));
        OAuthTest.Tokens app = tokens(ada, "openid");
        String idToken = app.idToken();

        ada.cookie().redirects().follow(false).queryParam("id_token_hint", idToken)
                .queryParam("post_logout_redirect_uri", "https://evil.example/").get("/oauth2/logout")
                .then().statusCode(400);
        ada.cookie().redirects().follow(false).queryParam("id_token_hint", "not-a-token").get("/oauth2/logout")
                .then().statusCode(400);
        Response out = ada.cookie().redirects().follow(false).queryParam("id_token_hint", idToken)
                .queryParam("post_logout_redirect_uri", "com.example.test:/signed-out")
                .queryParam("state", "{bye}").get("/oauth2/logout");

        assertThat(out.statusCode()).isEqualTo(303);
        assertThat(out.header("Location")).startsWith("com.example.test:/signed-out?state=");
        assertThat(OAuthTest.query(URI.create(out.header("Location")))).containsEntry("state", "{bye}");
        assertThat(out.getCookie("mesh_session")).isEmpty();
        given().auth().oauth2(app.access()).get("/oauth2/userinfo").then().statusCode(401);
        ada.cookie().get("/v1/me").then().statusCode(401);
        given().formParam("grant_type", "refresh_token").formParam("client_id", CLIENT)
                .formParam("refresh_token", app.refresh()).post("/oauth2/token").then().statusCode(400);
        List<JsonNode> events = AccountsApi.outbox(dataSource, ada.accountId());
        JsonNode revoked = events.get(events.size() - 1);
        assertThat(revoked.get("type").asText()).isEqualTo("SessionRevoked");
        assertThat(revoked.at("/data/sessionIds").size()).isEqualTo(2);
        assertThat(revoked.at("/data/reason").asText()).isEqualTo("LOGOUT");
    }

    /** An old ID token, of an app session that has ended, cannot sign the browser out. */
    @Test
    void aHintOfAnEndedAppSessionLeavesTheBrowserSignedIn() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("old-hint"));
        OAuthTest.Tokens app = tokens(ada, "openid");
        given().formParam("token", app.refresh()).formParam("client_id", CLIENT).post("/oauth2/revoke").then()
                .statusCode(200);

        ada.cookie().redirects().follow(false).queryParam("id_token_hint", app.idToken()).get("/oauth2/logout")
                .then().statusCode(200);

        ada.cookie().get("/v1/me").then().statusCode(200);
    }

    @Test
    void theIdTokenIsForTheAppAndCarriesNonceAuthTimeAndAtHash() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("id-token"));
        OAuthTest.Tokens app = tokens(ada, "openid");
        SignedJWT id = SignedJWT.parse(app.idToken());
        JWTClaimsSet claims = id.getJWTClaimsSet();

        assertThat(id.getHeader().getAlgorithm().getName()).isEqualTo("EdDSA");
        assertThat(claims.getAudience()).containsExactly(CLIENT);
        assertThat(claims.getStringClaim("nonce")).isEqualTo("n-0S6_WzA2Mj");
        assertThat(claims.getLongClaim("auth_time")).isNotNull();
        assertThat(claims.getStringClaim("at_hash")).isNotBlank();
        assertThat(claims.getClaims().keySet()).doesNotContain("email", "name");
        given().auth().oauth2(app.idToken()).get("/v1/me").then().statusCode(401);
    }

    @Test
    void discoveryAnnouncesExactlyWhatIsImplemented() {
        JsonNode document = given().get("/.well-known/openid-configuration").then().statusCode(200).extract()
                .as(JsonNode.class);

        assertThat(document.at("/scopes_supported").toString()).isEqualTo("[\"openid\",\"profile\",\"email\"]");
        assertThat(document.at("/request_uri_parameter_supported").asBoolean(true)).isFalse();
        for (String endpoint : Set.of("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri",
                "revocation_endpoint", "end_session_endpoint")) {
            String path = URI.create(document.get(endpoint).asText()).getPath();
            assertThat(given().redirects().follow(false).get(path).statusCode()).as(endpoint).isNotIn(404, 500);
        }
    }

    private OAuthTest.Tokens tokens(AccountsApi.Browser browser, String scope) {
        String verifier = OAuthTest.verifier();
        Response page = browser.cookie().redirects().follow(false).queryParam("response_type", "code")
                .queryParam("client_id", CLIENT).queryParam("redirect_uri", CUSTOM_SCHEME)
                .queryParam("code_challenge", OAuthService.challengeOf(verifier))
                .queryParam("code_challenge_method", "S256").queryParam("scope", scope)
                .queryParam("nonce", "n-0S6_WzA2Mj").get("/oauth2/authorize");
        Response approved = OAuthTest.confirm(browser, page, Map.of());
        String code = OAuthTest.query(URI.create(approved.header("Location"))).get("code");
        return OAuthTest.exchange(code, verifier);
    }

    private static RequestSpecification request(AccountsApi.Browser browser, String redirect) {
        RequestSpecification request = (browser == null ? given() : browser.cookie()).redirects().follow(false)
                .queryParam("response_type", "code").queryParam("client_id", CLIENT)
                .queryParam("redirect_uri", redirect)
                .queryParam("code_challenge", OAuthService.challengeOf(OAuthTest.verifier()))
                .queryParam("code_challenge_method", "S256");
        return request;
    }

    private static Response post(RequestSpecification as, Map<String, String> form) {
        return as.redirects().follow(false).contentType("application/x-www-form-urlencoded").formParams(form)
                .post("/oauth2/authorize");
    }

    /** Moves the browser session's sign-in back in time. */
    private void age(AccountsApi.Browser browser, String by) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "UPDATE sessions SET auth_time = now() - ?::interval WHERE id = ?")) {
            s.setString(1, by);
            s.setObject(2, browser.sessionId());
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }
}
