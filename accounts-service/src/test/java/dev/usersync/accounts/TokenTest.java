package dev.usersync.accounts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.usersync.accounts.token.service.Tokens;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issued tokens checked by an independent JOSE library (Nimbus, with Tink's Ed25519) against the served key set,
 * and forged or broken tokens refused with 401 problem details.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class TokenTest {

    @Inject
    Tokens tokens;

    @Inject
    javax.sql.DataSource dataSource;

    @Test
    void anIndependentLibraryVerifiesIssuedTokensAgainstTheServedKeySetBeforeAndAfterRotation() throws Exception {
        AccountsApi.Browser before = AccountsApi.signUp(AccountsApi.newEmail("rotate"));
        SignedJWT first = SignedJWT.parse(before.sessionCookie());
        assertThat(verifiesAgainstServedKeys(first)).isTrue();
        assertThat(first.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
        JWTClaimsSet claims = first.getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo(before.accountId().toString());
        assertThat(first.getHeader().getType()).isEqualTo(new JOSEObjectType("session+jwt"));
        assertThat(claims.getAudience()).containsExactly("accounts", "track", "plan", "work");
        assertThat(claims.getLongClaim("auth_time")).isBetween(claims.getIssueTime().getTime() / 1000 - 1,
                claims.getIssueTime().getTime() / 1000);
        assertThat(claims.getStringClaim("sid")).isNotBlank();
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getIssueTime()).isNotNull();
        assertThat(claims.getExpirationTime()).isAfter(new Date());
        assertThat(claims.getClaims().keySet()).doesNotContain("email", "name");

        String nextKid = given().header("Authorization", AccountsApi.ADMIN).post("/v1/admin/signing-keys/rotate")
                .then().statusCode(200).extract().path("signingKid");

        AccountsApi.Browser after = AccountsApi.signUp(AccountsApi.newEmail("rotate"));
        SignedJWT second = SignedJWT.parse(after.sessionCookie());
        assertThat(second.getHeader().getKeyID()).isEqualTo(nextKid).isNotEqualTo(first.getHeader().getKeyID());
        assertThat(verifiesAgainstServedKeys(second)).isTrue();
        assertThat(verifiesAgainstServedKeys(first)).as("the retired key is still published").isTrue();
        before.cookie().get("/v1/me").then().statusCode(200);
        after.cookie().get("/v1/me").then().statusCode(200);
    }

    @Test
    void theNextKeyIsPublishedBeforeItSigns() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("next"));
        String signing = SignedJWT.parse(ada.sessionCookie()).getHeader().getKeyID();

        List<String> published = given().get("/.well-known/jwks.json").then().extract().path("keys.kid");

        assertThat(published).contains(signing).hasSizeGreaterThan(1);
        String rotatedTo = given().header("Authorization", AccountsApi.ADMIN).post("/v1/admin/signing-keys/rotate")
                .then().statusCode(200).extract().path("signingKid");
        assertThat(published).as("published before rotation").contains(rotatedTo);
    }

    @Test
    void privateKeysAreEncryptedAtRest() throws Exception {
        byte[] pkcs8Ed25519Prefix = java.util.HexFormat.of().parseHex("302e020100300506032b657004220420");
        try (var c = dataSource.getConnection(); var rows = c.createStatement()
                .executeQuery("SELECT private_key FROM signing_keys")) {
            int keys = 0;
            while (rows.next()) {
                byte[] stored = rows.getBytes(1);
                assertThat(java.util.Arrays.equals(stored, 0, pkcs8Ed25519Prefix.length, pkcs8Ed25519Prefix, 0,
                        pkcs8Ed25519Prefix.length)).as("stored key is plain PKCS#8").isFalse();
                assertThat(stored.length).isEqualTo(12 + 48 + 16);
                keys++;
            }
            assertThat(keys).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void theApiIsDescribedByOpenApi() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths", org.hamcrest.Matchers.hasKey("/v1/signup"))
                .body("paths", org.hamcrest.Matchers.hasKey("/oauth2/token"));
    }

    @Test
    void rotationNeedsTheAdminKey() {
        given().post("/v1/admin/signing-keys/rotate").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").post("/v1/admin/signing-keys/rotate").then().statusCode(401);
    }

    @Test
    void aTamperedTokenIsRefused() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("tamper"));
        String[] parts = ada.sessionCookie().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"sub\":\"" + ada.accountId(), "\"sub\":\"" + java.util.UUID.randomUUID());
        String tampered = parts[0] + "." + b64(payload) + "." + parts[2];

        refused(tampered, "the token's signature is not valid");
    }

    @Test
    void anExpiredTokenIsRefused() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("expired"));
        String sid = claim(ada.sessionCookie(), "sid");
        String expired = tokens.issue(Tokens.Kind.SESSION, ada.accountId(), java.util.UUID.fromString(sid),
                List.of("accounts"), null, null, java.time.Instant.now(), Duration.ofMinutes(-5)).token();

        refused(expired, "the token has expired");
    }

    @Test
    void anUnsignedAlgNoneTokenIsRefused() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("none"));
        String[] parts = ada.sessionCookie().split("\\.");
        String header = "{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + kid(ada.sessionCookie()) + "\"}";

        refused(b64(header) + "." + parts[1] + ".", "the token is not valid");
    }

    @Test
    void anHs256TokenKeyedWithThePublicKeyIsRefused() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("hs256"));
        JWKSet keys = JWKSet.parse(given().get("/.well-known/jwks.json").asString());
        String kid = kid(ada.sessionCookie());
        byte[] publicKey = ((OctetKeyPair) keys.getKeyByKeyId(kid)).getDecodedX();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(),
                SignedJWT.parse(ada.sessionCookie()).getJWTClaimsSet());
        forged.sign(new MACSigner(publicKey));

        refused(forged.serialize(), "the token is not valid");
    }

    @Test
    void aTokenSignedWithAnUnknownKeyIsRefused() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("unknown-kid"));
        OctetKeyPair stranger = new OctetKeyPairGenerator(Curve.Ed25519).keyID("stranger").generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID("stranger")
                .type(JOSEObjectType.JWT).build(), SignedJWT.parse(ada.sessionCookie()).getJWTClaimsSet());
        forged.sign(new Ed25519Signer(stranger));

        refused(forged.serialize(), "the token is not valid");
    }

    @Test
    void aTokenSignedWithAnUnknownKeyUnderAKnownKidIsRefused() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("wrong-key"));
        String kid = kid(ada.sessionCookie());
        OctetKeyPair stranger = new OctetKeyPairGenerator(Curve.Ed25519).keyID(kid).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.EdDSA).keyID(kid).build(),
                SignedJWT.parse(ada.sessionCookie()).getJWTClaimsSet());
        forged.sign(new Ed25519Signer(stranger));

        refused(forged.serialize(), "the token's signature is not valid");
    }

    @Test
    void garbageIsRefused() {
        refused("not.a.token", "the token is not valid");
        given().header("Authorization", "Basic dXNlcjpwYXNz").get("/v1/me").then().statusCode(401);
        given().get("/v1/me").then().statusCode(401).body("detail", equalTo("sign in first"));
    }

    private static void refused(String token, String detail) {
        given().header("Authorization", "Bearer " + token).get("/v1/me").then()
                .statusCode(401)
                .contentType("application/problem+json")
                .body("status", equalTo(401))
                .body("detail", equalTo(detail));
    }

    private static boolean verifiesAgainstServedKeys(SignedJWT jwt) throws Exception {
        JWKSet keys = JWKSet.parse(given().get("/.well-known/jwks.json").asString());
        OctetKeyPair key = (OctetKeyPair) keys.getKeyByKeyId(jwt.getHeader().getKeyID());
        return key != null && jwt.verify(new Ed25519Verifier(key.toPublicJWK()));
    }

    private static String kid(String token) {
        try {
            return SignedJWT.parse(token).getHeader().getKeyID();
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static String claim(String token, String name) {
        try {
            return SignedJWT.parse(token).getJWTClaimsSet().getStringClaim(name);
        } catch (java.text.ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static String b64(String json) {
        return Base64URL.encode(json.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
