package dev.usersync.accounts;

import static dev.usersync.accounts.AccountsApi.PASSWORD;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Repeated failures back off, per email and per client address, with 429 and Retry-After, and the answers never
 * tell whether an account exists. Each test acts from its own address (X-Forwarded-For, trusted in tests only).
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class BruteForceTest {

    private static final AtomicInteger ADDRESSES = new AtomicInteger(10);

    @Test
    void afterFiveWrongPasswordsEvenTheRightOneWaits() {
        String ip = newAddress();
        String email = AccountsApi.newEmail("brute");
        AccountsApi.signUp(email);

        for (int i = 0; i < 5; i++) {
            login(ip, email, "wrong guess " + i).then().statusCode(401);
        }
        Response blocked = login(ip, email, PASSWORD);

        assertThat(blocked.statusCode()).isEqualTo(429);
        assertThat(Integer.parseInt(blocked.header("Retry-After"))).isBetween(1, 3);
        assertThat(blocked.contentType()).startsWith("application/problem+json");
        assertThat(blocked.getCookie("mesh_session")).isNull();
    }

    @Test
    void anUnknownEmailIsThrottledExactlyLikeAKnownOne() {
        String known = AccountsApi.newEmail("known");
        AccountsApi.signUp(known);
        String unknown = AccountsApi.newEmail("unknown");
        String ipA = newAddress();
        String ipB = newAddress();

        for (int i = 0; i < 5; i++) {
            Response a = login(ipA, known, "wrong " + i);
            Response b = login(ipB, unknown, "wrong " + i);
            assertThat(a.statusCode()).isEqualTo(b.statusCode()).isEqualTo(401);
            assertThat(a.body().asString()).isEqualTo(b.body().asString());
        }
        Response a = login(ipA, known, "wrong again");
        Response b = login(ipB, unknown, "wrong again");

        assertThat(a.statusCode()).isEqualTo(b.statusCode()).isEqualTo(429);
        assertThat(a.jsonPath().getString("type")).isEqualTo(b.jsonPath().getString("type"));
        assertThat(a.jsonPath().getString("title")).isEqualTo(b.jsonPath().getString("title"));
    }

    @ConfigProperty(name = "accounts.brute-force.ip-failures")
    int ipFailures;

    @Test
    void oneAddressTryingManyEmailsIsThrottled() {
        String ip = newAddress();
        for (int i = 0; i < ipFailures; i++) {
            login(ip, AccountsApi.newEmail("spray"), "password spray").then().statusCode(401);
        }

        login(ip, AccountsApi.newEmail("spray"), "password spray").then().statusCode(429);
    }

    @Test
    void aSuccessfulLoginClearsTheAccountsFailures() {
        String ip = newAddress();
        String email = AccountsApi.newEmail("clears");
        AccountsApi.signUp(email);
        for (int i = 0; i < 4; i++) {
            login(ip, email, "wrong " + i).then().statusCode(401);
        }
        login(ip, email, PASSWORD).then().statusCode(200);

        for (int i = 0; i < 4; i++) {
            login(ip, email, "wrong again " + i).then().statusCode(401);
        }
        login(ip, email, PASSWORD).then().statusCode(200);
    }

    @ConfigProperty(name = "accounts.brute-force.token-failures")
    int tokenFailures;

    @Test
    void theTokenEndpointBacksOffPerAddress() {
        String ip = newAddress();
        for (int i = 0; i < tokenFailures; i++) {
            given().header("X-Forwarded-For", ip).formParam("grant_type", "refresh_token")
                    .formParam("client_id", "test-app").formParam("refresh_token", "guess-" + i)
                    .post("/oauth2/token").then().statusCode(400);
        }

        given().header("X-Forwarded-For", ip).formParam("grant_type", "refresh_token")
                .formParam("client_id", "test-app").formParam("refresh_token", "guess")
                .post("/oauth2/token").then().statusCode(429).contentType("application/json")
                .body("error", equalTo("slow_down")).header("Retry-After", org.hamcrest.Matchers.notNullValue());
    }

    /** Parallel guesses are reserved one by one: no more of them reach the password check than the allowance. */
    @Test
    void parallelGuessesGetNoMorePasswordChecksThanTheAllowance() throws Exception {
        String ip = newAddress();
        String email = AccountsApi.newEmail("parallel");
        AccountsApi.Browser ada = AccountsApi.signUp(email);

        List<java.util.concurrent.CompletableFuture<Integer>> guesses = new java.util.ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String guess = "parallel guess " + i;
            guesses.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> login(ip, email, guess).statusCode(),
                    POOL));
        }
        List<Integer> answers = guesses.stream().map(java.util.concurrent.CompletableFuture::join).toList();

        assertThat(answers).containsOnly(401, 429);
        assertThat(answers.stream().filter(status -> status == 401).count()).isEqualTo(accountFailures);
        given().header("Authorization", AccountsApi.ADMIN)
                .get("/v1/admin/auth-log?accountId=" + ada.accountId() + "&outcome=failure")
                .then().statusCode(200).body("total", equalTo(accountFailures));
    }

    /**
     * Guesses from many addresses lock out only the guessers: the owner's browser, known by its device cookie, still
     * signs in; an unknown client (the guessers' kind) is held back once they have used the allowance for all of them.
     */
    @Test
    void guessesFromElsewhereCannotLockTheOwnerOutOfTheirOwnBrowser() {
        String email = AccountsApi.newEmail("device");
        Response signUp = given().header("X-Forwarded-For", newAddress()).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD, "product", "track")).post("/v1/signup");
        String device = signUp.getCookie("mesh_device");
        assertThat(device).isNotBlank();

        for (int guesser = 0; guesser < unknownClientFailures / accountFailures + 1; guesser++) {
            String ip = newAddress();
            for (int i = 0; i < accountFailures + 1; i++) {
                login(ip, email, "guess " + i);
            }
        }
        String ownersAddress = newAddress();

        login(ownersAddress, email, PASSWORD).then().statusCode(429);
        given().header("X-Forwarded-For", ownersAddress).cookie("mesh_device", device).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", PASSWORD)).post("/v1/login").then().statusCode(200);
    }

    /**
     * Behind a proxy that appends to X-Forwarded-For, the client's own entries come first and can say anything: the
     * address that counts is the last one a trusted proxy did not add.
     */
    @Test
    void aClientCannotChooseItsAddressByPrependingToXForwardedFor() {
        String real = newAddress();
        for (int i = 0; i < ipFailures + 1; i++) {
            given().header("X-Forwarded-For", "198.51.100." + i + ", " + real).contentType(ContentType.JSON)
                    .body(Map.of("email", AccountsApi.newEmail("spoof"), "password", "spray")).post("/v1/login");
        }

        given().header("X-Forwarded-For", "198.51.100.250, " + real + ", 127.0.0.1").contentType(ContentType.JSON)
                .body(Map.of("email", AccountsApi.newEmail("spoof"), "password", "spray")).post("/v1/login").then()
                .statusCode(429);
        given().header("Authorization", AccountsApi.ADMIN).get("/v1/admin/auth-log?action=login&size=1&page=0")
                .then().statusCode(200).body("entries[0].ip", equalTo(real));
    }

    @ConfigProperty(name = "accounts.brute-force.account-failures")
    int accountFailures;

    @ConfigProperty(name = "accounts.brute-force.unknown-client-failures")
    int unknownClientFailures;

    private static final java.util.concurrent.ExecutorService POOL =
            java.util.concurrent.Executors.newFixedThreadPool(24);

    private static Response login(String ip, String email, String password) {
        return given().header("X-Forwarded-For", ip).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", password)).post("/v1/login");
    }

    private static String newAddress() {
        int n = ADDRESSES.incrementAndGet();
        return "203.0.113." + n;
    }
}
