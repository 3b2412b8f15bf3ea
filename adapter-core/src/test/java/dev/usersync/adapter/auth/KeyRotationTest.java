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
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Keys rotate with no restart: a new kid is fetched at once, a withdrawn one ends tokens; requests fetch no keys. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class KeyRotationTest {

    private static final String ME = "/v1/probe/me";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final TestIssuer issuer = TestIssuer.shared();

    @Test
    void aRememberedTokenIsRefusedOnceItsKeyIsWithdrawn() {
        AccountLogWriter.Account ada = Probe.signedUp(bootstrapServers, "Ada");
        String old = Probe.token(ada);
        given().header("Authorization", "Bearer " + old).get(ME).then().statusCode(200);
        String withdrawn = issuer.signingKid();
        issuer.rotate();
        issuer.withdraw(withdrawn);
        String fresh = Probe.token(ada);

        // The new kid is unknown here: the adapter fetches the key set again, which no longer has the old key.
        await().atMost(Duration.ofSeconds(30)).until(() -> status(fresh) == 200);
        given().header("Authorization", "Bearer " + old).get(ME).then().statusCode(401);
        given().cookie("mesh_session", old).get(ME).then().statusCode(401);
    }

    @Test
    void aKeyRotatedInTheIssuerIsPickedUpWithoutARestartAndRequestsDoNotFetchKeys() {
        AccountLogWriter.Account ada = Probe.signedUp(bootstrapServers, "Ada");
        String before = Probe.token(ada);
        given().header("Authorization", "Bearer " + before).get(ME).then().statusCode(200);

        String rotated = issuer.signWithNewKey(ada.id(), UUID.randomUUID(), List.of("probe"));
        // At once, unless another unknown kid was fetched within the last refetch interval (1 s in tests).
        await().atMost(Duration.ofSeconds(5)).until(() -> status(rotated) == 200);

        int fetches = issuer.keySetFetches();
        for (int i = 0; i < 50; i++) {
            given().header("Authorization", "Bearer " + rotated).get(ME).then().statusCode(200);
            given().cookie("mesh_session", before).get(ME).then().statusCode(200);
        }
        assertThat(issuer.keySetFetches()).as("key-set fetches during 100 requests").isEqualTo(fetches);
    }



    private static int status(String token) {
        return given().header("Authorization", "Bearer " + token).get(ME).statusCode();
    }
}
