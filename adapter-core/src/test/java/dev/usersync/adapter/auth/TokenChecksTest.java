package dev.usersync.adapter.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.usersync.adapter.probe.Probe;
import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import dev.usersync.testsupport.TestIssuer;
import dev.usersync.testsupport.TestIssuerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.HmacKey;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.Test;

/** A product endpoint takes a token from the header or cookie: signed, unexpired, for this product, of two kinds. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class TokenChecksTest {

    private static final String ME = "/v1/probe/me";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final TestIssuer issuer = TestIssuer.shared();

    @Test
    void aValidTokenReadsThePersonFromTheBearerHeaderOrTheSessionCookie() {
        AccountLogWriter.Account ada = Probe.signedUp(bootstrapServers, "Ada");
        String token = Probe.token(ada);

        given().header("Authorization", "Bearer " + token).get(ME).then().statusCode(200)
                .body("accountId", equalTo(ada.id().toString())).body("name", equalTo("Ada"))
                .body("email", equalTo(ada.state().email())).body("active", equalTo(true));
        given().header("Authorization", "bearer " + token).get(ME).then().statusCode(200)
                .body("accountId", equalTo(ada.id().toString()));
        given().cookie("mesh_session", token).get(ME).then().statusCode(200)
                .body("accountId", equalTo(ada.id().toString()));
    }

    /** The cookie is read only when there is no Authorization header: a bad header is not rescued by a good cookie. */
    @Test
    void theAuthorizationHeaderIsReadBeforeTheCookie() {
        AccountLogWriter.Account ada = Probe.signedUp(bootstrapServers, "Ada");
        AccountLogWriter.Account bea = Probe.signedUp(bootstrapServers, "Bea");

        given().header("Authorization", "Bearer " + Probe.token(bea)).cookie("mesh_session", Probe.token(ada))
                .get(ME).then()
                .statusCode(200).body("accountId", equalTo(bea.id().toString()));
        given().header("Authorization", "Bearer not-a-token").cookie("mesh_session", Probe.token(ada)).get(ME).then()
                .statusCode(401).body("detail", equalTo("the token is not valid"));
        given().header("Authorization", "Basic YTpi").cookie("mesh_session", Probe.token(ada)).get(ME).then()
                .statusCode(401).contentType("application/problem+json")
                .body("detail", equalTo("use a Bearer token or the session cookie"));
    }

    @Test
    void missingExpiredTamperedUnsignedAndMalformedTokensAre401() {
        AccountLogWriter.Account ada = Probe.signedUp(bootstrapServers, "Ada");
        UUID session = UUID.randomUUID();
        String valid = issuer.token(ada.id(), session, List.of("probe"), Duration.ofMinutes(5));
        String[] parts = valid.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"probe\"", "\"probe\",\"plan\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";
        String expired = issuer.token(ada.id(), session, List.of("probe"), Duration.ofMinutes(-5));

        unauthorized(null, "sign in first");
        unauthorized(expired, "the token has expired");
        unauthorized(tampered, "the token is not valid");
        unauthorized(unsigned, "the token is not valid");
        unauthorized("not-a-token", "the token is not valid");
        given().header("Authorization", "Basic YTpi").get(ME).then().statusCode(401)
                .body("detail", equalTo("use a Bearer token or the session cookie"));
        given().cookie("mesh_session", expired).get(ME).then().statusCode(401)
                .body("detail", equalTo("the token has expired"));
        given().cookie("mesh_session", tampered).get(ME).then().statusCode(401)
                .body("detail", equalTo("the token is not valid"));
        given().header("Authorization", "Bearer " + valid).get(ME).then().statusCode(200);
    }

    /**
     * Only EdDSA with a published key: the same claims signed with HMAC under the current kid, with another Ed25519 key
     * under the current kid, or under a kid the issuer never published are refused.
     */
    @Test
    void aTokenOfAnotherAlgorithmOrNotSignedWithAPublishedKeyIs401() throws Exception {
        AccountLogWriter.Account ada = Probe.signedUp(bootstrapServers, "Ada");
        String kid = issuer.signingKid();
        String valid = Probe.token(ada);
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        Key foreign = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate();

        unauthorized(resigned(valid, AlgorithmIdentifiers.HMAC_SHA256, kid, new HmacKey(secret)),
                "the token is not valid");
        unauthorized(resigned(valid, AlgorithmIdentifiers.EDDSA, kid, foreign), "the token is not valid");
        unauthorized(resigned(valid, AlgorithmIdentifiers.EDDSA, "never-published-" + UUID.randomUUID(), foreign),
                "the token is not valid");
        given().header("Authorization", "Bearer " + valid).get(ME).then().statusCode(200);
    }

    /**
     * Tokens are confined to their audience: a session token of a domain without the probe product, an app's access
     * token for Plan or for the accounts API alone, and a token of another kind (an ID token, say) are refused here;
     * the probe app's access token is accepted.
     */
    @Test
    void aTokenNotForThisProductOrOfAnotherKindIs401() {
        AccountLogWriter.Account ada = Probe.signedUp(bootstrapServers, "Ada");
        UUID session = UUID.randomUUID();

        unauthorized(issuer.token(ada.id(), session, List.of("plan"), Duration.ofMinutes(5)),
                "the token is not for this product");
        unauthorized(issuer.accessToken(ada.id(), session, "plan-android", List.of("plan", "accounts")),
                "the token is not for this product");
        unauthorized(issuer.accessToken(ada.id(), session, "settings", List.of("accounts")),
                "the token is not for this product");
        unauthorized(issuer.sign("JWT", ada.id(), session, List.of("probe"), "probe-ios", Duration.ofMinutes(5)),
                "the token is not a session or access token");
        unauthorized(issuer.sign(null, ada.id(), session, List.of("probe"), null, Duration.ofMinutes(5)),
                "the token is not a session or access token");
        given().header("Authorization", "Bearer " + issuer.accessToken(ada.id(), session, "probe-ios",
                List.of("probe"))).get(ME).then().statusCode(200).body("accountId", equalTo(ada.id().toString()));
    }

    /**
     * The benchmark builds' caller header (see {@code UnauthenticatedCallers}) does nothing in a normal build, whatever
     * the configuration says: without a token it is 401, and it cannot change whom a token names.
     */
    @Test
    void theBenchmarkCallerHeaderIsIgnoredOutsideBenchmarkBuilds() {
        AccountLogWriter.Account ada = Probe.signedUp(bootstrapServers, "Ada");
        AccountLogWriter.Account bea = Probe.signedUp(bootstrapServers, "Bea");
        given().header(UnauthenticatedCallers.HEADER, ada.id().toString()).get(ME).then().statusCode(401)
                .body("detail", equalTo("sign in first"));
        given().header(UnauthenticatedCallers.HEADER, ada.id().toString())
                .header("Authorization", "Bearer " + Probe.token(bea))
                .get(ME).then().statusCode(200).body("accountId", equalTo(bea.id().toString()));
    }

    /** A probe person whose AccountCreated the adapter has applied. */


    /** The claims of a token the issuer signed, signed again with {@code key} and {@code algorithm} as {@code kid}. */
    private static String resigned(String token, String algorithm, String kid, Key key) throws JoseException {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
        jws.setAlgorithmHeaderValue(algorithm);
        jws.setKeyIdHeaderValue(kid);
        jws.setHeader("typ", TokenVerifier.SESSION);
        jws.setKey(key);
        return jws.getCompactSerialization();
    }

    private static void unauthorized(String token, String detail) {
        var request = given();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        request.get(ME).then().statusCode(401).contentType("application/problem+json")
                .body("detail", equalTo(detail));
    }
}
