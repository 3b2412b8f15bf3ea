package dev.usersync.track;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.KafkaServer;
import dev.usersync.testsupport.PostgresResource;
import dev.usersync.testsupport.TestIssuer;
import dev.usersync.testsupport.TestIssuerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Owners invite by email; the invitee accepts once; nobody else can use the invitation. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class TrackInvitationTest {

    private final TestIssuer issuer = TestIssuer.shared();

    @Test
    void anOwnerInvitesAndTheInviteeJoinsOnce() {
        String owner = person("Owner");
        int workspace = given().header("Authorization", owner).get("/v1/track/me").then().statusCode(200)
                .extract().path("memberships[0].workspaceId");
        String stranger = person("Stranger");
        String invitee = person("Invitee");

        String code = given().header("Authorization", owner).contentType(ContentType.JSON)
                .body(Map.of("email", "invitee@example.com")).post("/v1/track/workspaces/" + workspace + "/invitations")
                .then().statusCode(201).extract().path("code");
        given().header("Authorization", stranger).contentType(ContentType.JSON)
                .body(Map.of("email", "x@example.com")).post("/v1/track/workspaces/" + workspace + "/invitations")
                .then().statusCode(403);
        given().header("Authorization", owner).contentType(ContentType.JSON).body(Map.of("email", "nope"))
                .post("/v1/track/workspaces/" + workspace + "/invitations").then().statusCode(400);

        given().header("Authorization", invitee).post("/v1/track/invitations/" + code + "/accept")
                .then().statusCode(200).body("workspaceId", equalTo(workspace));
        given().header("Authorization", invitee).post("/v1/track/invitations/" + code + "/accept")
                .then().statusCode(200);
        given().header("Authorization", stranger).post("/v1/track/invitations/" + code + "/accept")
                .then().statusCode(409);
        given().header("Authorization", invitee).post("/v1/track/invitations/no-such-code/accept")
                .then().statusCode(404);
        given().header("Authorization", invitee).get("/v1/track/me").then()
                .body("memberships.workspaceId", org.hamcrest.Matchers.hasItem(workspace));
    }

    /** A Track user the adapter meets through their first request; returns their Authorization header. */
    private String person(String name) {
        AccountLogWriter.Account account;
        try (AccountLogWriter log = new AccountLogWriter(KafkaServer.shared().bootstrapServers(),
                "accounts.events")) {
            account = log.newAccount(name.toLowerCase() + "-" + UUID.randomUUID() + "@example.com", name,
                    List.of("track"), "track", null);
        }
        issuer.knows(account, "track", null);
        return "Bearer " + issuer.token(account.id(), UUID.randomUUID(), List.of("track"), Duration.ofMinutes(5));
    }
}
