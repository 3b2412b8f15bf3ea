package dev.usersync.track;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import dev.usersync.adapter.auth.SessionChecks;
import dev.usersync.adapter.auth.UnauthenticatedCallers;
import dev.usersync.events.ProductAccessGranted;
import dev.usersync.events.ProductAccessRevoked;
import dev.usersync.events.SessionRevoked;
import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import dev.usersync.testsupport.Sql;
import dev.usersync.testsupport.TestIssuer;
import dev.usersync.testsupport.TestIssuerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Track authenticates locally: the 401/403 matrix, revoked sessions, and key rotation without a restart. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class TrackAuthTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Inject
    SessionChecks sessions;

    @Inject
    DataSource dataSource;

    private final TestIssuer issuer = TestIssuer.shared();

    @Test
    void aValidTokenReadsTheLocalUserFromTheHeaderOrTheCookie() {
        AccountLogWriter.Account ada = synced("Ada");
        String token = issuer.token(ada.id(), UUID.randomUUID(), List.of("track"), Duration.ofMinutes(5));

        given().header("Authorization", "Bearer " + token).get("/v1/track/me").then().statusCode(200)
                .body("fullname", equalTo("Ada")).body("memberships[0].personal", equalTo(true));
        given().cookie("mesh_session", token).get("/v1/track/me").then().statusCode(200)
                .body("accountId", equalTo(ada.id().toString()));
    }

    @Test
    void missingExpiredTamperedAndForeignTokensAre401() {
        AccountLogWriter.Account ada = synced("Ada");
        UUID session = UUID.randomUUID();
        String valid = issuer.token(ada.id(), session, List.of("track"), Duration.ofMinutes(5));
        String[] parts = valid.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"track\"", "\"track\",\"plan\"");
        String tampered = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        String unsigned = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + parts[1] + ".";

        unauthorized(null, "sign in first");
        unauthorized(issuer.token(ada.id(), session, List.of("track"), Duration.ofMinutes(-5)),
                "the token has expired");
        unauthorized(tampered, "the token is not valid");
        unauthorized(unsigned, "the token is not valid");
        unauthorized("not-a-token", "the token is not valid");
        given().header("Authorization", "Basic YTpi").get("/v1/track/me").then().statusCode(401);
    }

    /**
     * Tokens are confined to their audience: a session token of a domain without Track, an app's access token for
     * Plan or for the accounts API alone, and a token of another kind (an ID token, say) are refused here; Track's own
     * app's access token is accepted.
     */
    @Test
    void aTokenNotForTrackOrOfAnotherKindIs401() {
        AccountLogWriter.Account ada = synced("Ada");
        UUID session = UUID.randomUUID();

        unauthorized(issuer.token(ada.id(), session, List.of("plan"), Duration.ofMinutes(5)),
                "the token is not for this product");
        unauthorized(issuer.accessToken(ada.id(), session, "plan-android", List.of("plan", "accounts")),
                "the token is not for this product");
        unauthorized(issuer.accessToken(ada.id(), session, "settings", List.of("accounts")),
                "the token is not for this product");
        unauthorized(issuer.sign("JWT", ada.id(), session, List.of("track"), "track-ios", Duration.ofMinutes(5)),
                "the token is not a session or access token");
        unauthorized(issuer.sign(null, ada.id(), session, List.of("track"), null, Duration.ofMinutes(5)),
                "the token is not a session or access token");
        given().header("Authorization", "Bearer " + issuer.accessToken(ada.id(), session, "track-ios",
                List.of("track"))).get("/v1/track/me").then().statusCode(200);
    }

    /**
     * The benchmark builds' caller header (see {@code UnauthenticatedCallers}) does nothing in a normal build, whatever
     * the configuration says: without a token it is 401, and it cannot change whom a token names.
     */
    @Test
    void theBenchmarkCallerHeaderIsIgnoredOutsideBenchmarkBuilds() {
        AccountLogWriter.Account ada = synced("Ada");
        AccountLogWriter.Account bea = synced("Bea");
        given().header(UnauthenticatedCallers.HEADER, ada.id().toString()).get("/v1/track/me").then()
                .statusCode(401);
        given().header(UnauthenticatedCallers.HEADER, ada.id().toString())
                .header("Authorization", "Bearer " + issuer.token(bea.id(), UUID.randomUUID(), List.of("track"),
                        Duration.ofMinutes(5)))
                .get("/v1/track/me").then().statusCode(200).body("accountId", equalTo(
                        bea.id().toString()));
    }

    /** A token naming Track, of an account the log says may not use Track: 403. */
    @Test
    void aTokenForTrackOfAnAccountWithoutTrackIs403() {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, "accounts.events")) {
            AccountLogWriter.Account bea = log.newAccount(email(), "Bea", List.of("plan"), "plan", null);
            log.send(bea.last());
            issuer.knows(bea);
            given().header("Authorization", "Bearer " + issuer.token(bea.id(), UUID.randomUUID(),
                    List.of("track", "plan"), Duration.ofMinutes(5))).get("/v1/track/me").then().statusCode(403)
                    .contentType("application/problem+json");
        }
    }

    /** The token still lists Track; the log says Track was taken away: the log wins, at once, and gives it back. */
    @Test
    void aProductRevokedAfterTheTokenWasIssuedIsRefusedAsSoonAsItsEventIsApplied() {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, "accounts.events")) {
            AccountLogWriter.Account ada = log.newAccount(email(), "Ada", List.of("track"), "track", null);
            log.send(ada.last());
            String token = issuer.token(ada.id(), UUID.randomUUID(), List.of("track"), Duration.ofMinutes(5));
            await().atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", "Bearer " + token)
                    .get("/v1/track/me").statusCode() == 200);
            await().atMost(Duration.ofSeconds(10)).until(sessions::listening);

            log.send(ada.next(s -> s.withProducts(List.of()), s -> ProductAccessRevoked.of(s, "track")));
            await().atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", "Bearer " + token)
                    .get("/v1/track/me").statusCode() == 403);

            log.send(ada.next(s -> s.withProducts(List.of("track")), s -> ProductAccessGranted.of(s, "track")));
            await().atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", "Bearer " + token)
                    .get("/v1/track/me").statusCode() == 200);
        }
    }

    @Test
    void aRevokedSessionIsRefusedAsSoonAsItsEventIsApplied() {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, "accounts.events")) {
            AccountLogWriter.Account ada = log.newAccount(email(), "Ada", List.of("track"), "track", null);
            log.send(ada.last());
            UUID session = UUID.randomUUID();
            String token = issuer.token(ada.id(), session, List.of("track"), Duration.ofMinutes(5));
            await().atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", "Bearer " + token)
                    .get("/v1/track/me").statusCode() == 200);

            log.send(ada.next(s -> s, s -> SessionRevoked.of(s, List.of(session), SessionRevoked.Reason.LOGOUT)));

            await().atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", "Bearer " + token)
                    .get("/v1/track/me").statusCode() == 401);
            given().header("Authorization", "Bearer " + issuer.token(ada.id(), UUID.randomUUID(), List.of("track"),
                    Duration.ofMinutes(5))).get("/v1/track/me").then().statusCode(200);
        }
    }

    @Test
    void aRevocationCommittedByAnotherReplicaReachesThisOnesMemory() {
        AccountLogWriter.Account ada = synced("Ada");
        UUID session = UUID.randomUUID();
        String token = issuer.token(ada.id(), session, List.of("track"), Duration.ofMinutes(5));
        given().header("Authorization", "Bearer " + token).get("/v1/track/me").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).until(sessions::listening);

        // What another replica's apply step commits; this replica hears of it only through the table's notification.
        Sql.execute(dataSource, "INSERT INTO sync_revoked_sessions (session_id, account_id) VALUES (?, ?)", session,
                ada.id());

        await().atMost(Duration.ofSeconds(10)).until(() -> given().header("Authorization", "Bearer " + token)
                .get("/v1/track/me").statusCode() == 401);
        assertThat(sessions.listening()).as("answered from memory, not by a fallback query").isTrue();
    }

    @Test
    void aRememberedTokenIsRefusedOnceItsKeyIsWithdrawn() {
        AccountLogWriter.Account ada = synced("Ada");
        String old = issuer.token(ada.id(), UUID.randomUUID(), List.of("track"), Duration.ofMinutes(5));
        given().header("Authorization", "Bearer " + old).get("/v1/track/me").then().statusCode(200);
        String withdrawn = issuer.signingKid();
        issuer.rotate();
        issuer.withdraw(withdrawn);
        String fresh = issuer.token(ada.id(), UUID.randomUUID(), List.of("track"), Duration.ofMinutes(5));

        // The new kid is unknown here: the adapter fetches the key set again, which no longer has the old key.
        await().atMost(Duration.ofSeconds(30)).until(() -> given().header("Authorization", "Bearer " + fresh)
                .get("/v1/track/me").statusCode() == 200);
        given().header("Authorization", "Bearer " + old).get("/v1/track/me").then().statusCode(401);
    }

    @Test
    void aKeyRotatedInTheIssuerIsPickedUpWithoutARestartAndRequestsDoNotFetchKeys() {
        AccountLogWriter.Account ada = synced("Ada");
        String before = issuer.token(ada.id(), UUID.randomUUID(), List.of("track"), Duration.ofMinutes(5));
        given().header("Authorization", "Bearer " + before).get("/v1/track/me").then().statusCode(200);

        String rotated = issuer.signWithNewKey(ada.id(), UUID.randomUUID(), List.of("track"));
        // At once, unless another unknown kid was fetched within the last refetch interval (1 s in tests).
        await().atMost(Duration.ofSeconds(5)).until(() -> given().header("Authorization", "Bearer " + rotated)
                .get("/v1/track/me").statusCode() == 200);

        int fetches = issuer.keySetFetches();
        for (int i = 0; i < 50; i++) {
            given().header("Authorization", "Bearer " + rotated).get("/v1/track/me").then().statusCode(200);
            given().header("Authorization", "Bearer " + before).get("/v1/track/me").then().statusCode(200);
        }
        assertThat(issuer.keySetFetches()).as("key-set fetches during 100 requests").isEqualTo(fetches);
    }

    private AccountLogWriter.Account synced(String name) {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, "accounts.events")) {
            AccountLogWriter.Account account = log.newAccount(email(), name, List.of("track"), "track", null);
            var sent = log.send(account.last());
            await().atMost(Duration.ofSeconds(30)).until(() -> log.consumedPast("track-adapter", sent));
            return account;
        }
    }

    private static void unauthorized(String token, String detail) {
        var request = given();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        request.get("/v1/track/me").then().statusCode(401).contentType("application/problem+json")
                .body("detail", equalTo(detail));
    }

    private static String email() {
        return "auth-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }
}
