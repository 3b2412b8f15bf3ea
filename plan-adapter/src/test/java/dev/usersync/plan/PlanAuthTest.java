package dev.usersync.plan;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.usersync.adapter.auth.UnauthenticatedCallers;
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
import org.junit.jupiter.api.Test;

/** Plan authenticates with the same local checks as every adapter: a token must name Plan in its audience. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class PlanAuthTest {

    private final TestIssuer issuer = TestIssuer.shared();

    @Test
    void aPlanTokenReadsTheMemberAndATrackAppsTokenIs401() {
        AccountLogWriter.Account ada;
        try (AccountLogWriter log = new AccountLogWriter(dev.usersync.testsupport.KafkaServer.shared()
                .bootstrapServers(), "accounts.events")) {
            ada = log.newAccount("plan-auth-" + UUID.randomUUID() + "@example.com", "Ada Lovelace", List.of("plan"),
                    "plan", null);
        }
        issuer.knows(ada);

        given().header("Authorization", "Bearer " + issuer.token(ada.id(), UUID.randomUUID(), List.of("plan"),
                Duration.ofMinutes(5))).get("/v1/plan/me").then().statusCode(200)
                .body("firstName", equalTo("Ada")).body("lastName", equalTo("Lovelace"))
                .body("teams.size()", equalTo(1));
        given().header("Authorization", "Bearer " + issuer.accessToken(ada.id(), UUID.randomUUID(), "track-ios",
                List.of("track", "accounts"))).get("/v1/plan/me").then().statusCode(401);
        given().get("/v1/plan/me").then().statusCode(401);
    }

    /** The benchmark builds' caller header (adapter-core's UnauthenticatedCallers) does nothing here: 401. */
    @Test
    void theBenchmarkCallerHeaderIsIgnoredOutsideBenchmarkBuilds() {
        given().header(UnauthenticatedCallers.HEADER, UUID.randomUUID().toString()).get("/v1/plan/me").then()
                .statusCode(401);
    }
}
