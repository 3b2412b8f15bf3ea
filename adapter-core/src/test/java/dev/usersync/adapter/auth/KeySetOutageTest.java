package dev.usersync.adapter.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.usersync.adapter.probe.Probe;
import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import dev.usersync.testsupport.TestIssuer;
import dev.usersync.testsupport.TestIssuerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Products keep working while the accounts service is down: with a key set that goes stale every second and an
 * accounts service that accepts connections and never answers, authenticated requests keep answering from the cached
 * keys through several refresh periods, never waiting on the network; an unknown kid fails fast; and refreshing
 * resumes when the accounts service answers again.
 */
@QuarkusTest
@TestProfile(KeySetOutageTest.StaleEverySecond.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class KeySetOutageTest {

    private static final String ME = "/v1/probe/me";

    /** Far above a local request (milliseconds), far below the HTTP timeouts of a fetch (seconds). */
    private static final Duration BOUND = Duration.ofSeconds(1);

    public static class StaleEverySecond implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("adapter.auth.key-set-max-age", "PT1S", "adapter.auth.unknown-kid-wait", "PT0.3S");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final TestIssuer issuer = TestIssuer.shared();

    @Test
    void requestsNeverWaitOnADownAccountsServiceAndRefreshingResumes() {
        AccountLogWriter.Account ada;
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, "accounts.events")) {
            ada = log.newAccount("outage-" + UUID.randomUUID() + "@example.com", "Ada", List.of("probe"), "probe",
                    null);
            var sent = log.send(ada.last());
            await().atMost(Duration.ofSeconds(30)).until(() -> log.consumedPast("probe-adapter", sent));
        }
        String remembered = Probe.token(ada);
        assertThat(timed(remembered)).isEqualTo(200);
        String unknownKid;

        issuer.stall();
        try {
            long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            int requests = 0;
            while (System.nanoTime() < until) {
                assertThat(timed(remembered)).as("a remembered token").isEqualTo(200);
                assertThat(timed(Probe.token(ada))).as("a token verified with the cached key").isEqualTo(200);
                requests += 2;
            }
            assertThat(requests).as("requests over five refresh periods").isGreaterThan(20);
            unknownKid = issuer.signWithNewKey(ada.id(), UUID.randomUUID(), List.of("probe"));
            assertThat(timed(unknownKid)).as("a kid the stale key set lacks").isEqualTo(401);
            assertThat(timed(unknownKid)).as("the same kid again").isEqualTo(401);
        } finally {
            issuer.resume();
        }

        int fetches = issuer.keySetFetches();
        await().atMost(Duration.ofSeconds(30)).until(() -> issuer.keySetFetches() > fetches + 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> given().header("Authorization", "Bearer " + unknownKid)
                .get(ME).statusCode() == 200);
    }


    /** The request's status, after checking that it answered within {@link #BOUND}. */
    private static int timed(String token) {
        long started = System.nanoTime();
        int status = given().header("Authorization", "Bearer " + token).get(ME).statusCode();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("time to answer").isLessThan(BOUND);
        return status;
    }
}
