package dev.usersync.accounts;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import io.quarkus.mailer.MockMailbox;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Requests that create accounts or send mail are limited per address and per email, with the same answers whether or
 * not an account has the email.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class RateLimitTest {

    private static final AtomicInteger ADDRESSES = new AtomicInteger(10);

    @Inject
    MockMailbox mailbox;

    @ConfigProperty(name = "accounts.rate-limits.password-reset.per-email")
    int resetsPerEmail;

    @ConfigProperty(name = "accounts.rate-limits.password-reset.per-address")
    int resetsPerAddress;

    @ConfigProperty(name = "accounts.rate-limits.password-reset.per-email-and-address")
    int resetsPerEmailAndAddress;

    @ConfigProperty(name = "accounts.rate-limits.verification-mail.per-email-and-address")
    int verificationsPerEmail;

    @ConfigProperty(name = "accounts.rate-limits.sign-up.per-email")
    int signUpsPerEmail;

    @Test
    void resetRequestsForOneEmailAreLimitedAlikeForKnownAndUnknownEmails() {
        String known = AccountsApi.newEmail("reset-limit");
        AccountsApi.signUp(known);
        String unknown = AccountsApi.newEmail("reset-limit-nobody");
        mailbox.clear();

        for (int i = 0; i < resetsPerEmail; i++) {
            reset(newAddress(), known).then().statusCode(202);
            reset(newAddress(), unknown).then().statusCode(202);
        }
        Response knownRefused = reset(newAddress(), known);
        Response unknownRefused = reset(newAddress(), unknown);

        for (Response refused : new Response[] {knownRefused, unknownRefused}) {
            refused.then().statusCode(429).contentType("application/problem+json");
            assertThat(Long.parseLong(refused.header("Retry-After"))).isBetween(1L, 3600L);
        }
        assertThat(knownRefused.jsonPath().getString("type")).isEqualTo(unknownRefused.jsonPath().getString("type"));
        assertThat(mailbox.getMailsSentTo(known)).hasSize(resetsPerEmail);
    }

    /** Someone flooding a person's resets from one place cannot stop the person's own request from elsewhere. */
    @Test
    void resetRequestsForOneEmailFromOneAddressAreLimitedWithoutLockingOutTheOwner() {
        String email = AccountsApi.newEmail("reset-victim");
        AccountsApi.signUp(email);
        String flooder = newAddress();
        for (int i = 0; i < resetsPerEmailAndAddress; i++) {
            reset(flooder, email).then().statusCode(202);
        }
        reset(flooder, email).then().statusCode(429);
        mailbox.clear();

        reset(newAddress(), email).then().statusCode(202);

        AccountsApi.mailedToken(mailbox, email, "/reset-password");
    }

    @Test
    void resetRequestsFromOneAddressAreLimited() {
        String address = newAddress();
        for (int i = 0; i < resetsPerAddress; i++) {
            reset(address, AccountsApi.newEmail("sprayed")).then().statusCode(202);
        }

        reset(address, AccountsApi.newEmail("sprayed")).then().statusCode(429);
        reset(newAddress(), AccountsApi.newEmail("sprayed")).then().statusCode(202);
    }

    @Test
    void verificationMailIsLimitedPerEmail() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("verify-limit"));

        for (int i = 0; i < verificationsPerEmail; i++) {
            ada.write().post("/v1/me/email-verification").then().statusCode(202);
        }

        ada.write().post("/v1/me/email-verification").then().statusCode(429)
                .header("Retry-After", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void signUpsForOneEmailAreLimited() {
        String email = AccountsApi.newEmail("signup-limit");
        for (int i = 0; i < signUpsPerEmail; i++) {
            int status = signUp(email).statusCode();
            assertThat(status).isIn(201, 409);
        }

        signUp(email).then().statusCode(429).header("Retry-After", org.hamcrest.Matchers.notNullValue());
    }

    private static Response reset(String address, String email) {
        return given().header("X-Forwarded-For", address).contentType(ContentType.JSON).body(Map.of("email", email))
                .post("/v1/password-reset");
    }

    private static Response signUp(String email) {
        return given().header("X-Forwarded-For", newAddress()).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", AccountsApi.PASSWORD, "product", "track"))
                .post("/v1/signup");
    }

    private static String newAddress() {
        return "192.0.2." + ADDRESSES.incrementAndGet() % 250;
    }
}
