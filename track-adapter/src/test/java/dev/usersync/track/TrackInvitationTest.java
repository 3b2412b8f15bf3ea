package dev.usersync.track;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.usersync.events.EmailVerified;
import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.KafkaServer;
import dev.usersync.testsupport.PostgresResource;
import dev.usersync.testsupport.Sql;
import dev.usersync.testsupport.TestIssuer;
import dev.usersync.testsupport.TestIssuerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * Owners and admins invite an address or anyone with a link; an email invitation is accepted only by the account
 * whose verified email is its address, once; invitations expire and can be revoked.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class TrackInvitationTest {

    @Inject
    DataSource dataSource;

    private final TestIssuer issuer = TestIssuer.shared();

    @Test
    void anOwnerInvitesAnAddressAndOnlyItsVerifiedOwnerJoinsOnce() {
        String owner = person("owner-" + UUID.randomUUID() + "@example.com", true);
        int workspace = workspaceOf(owner);
        String address = "invitee-" + UUID.randomUUID() + "@example.com";
        String stranger = person("stranger-" + UUID.randomUUID() + "@example.com", true);
        String claimant = person(address.toUpperCase(), false);
        String invitee = person(address, true);

        String code = invite(owner, workspace, Map.of("email", address)).then().statusCode(201)
                .body("anyoneWithLink", equalTo(false)).extract().path("code");
        invite(stranger, workspace, Map.of("email", "x@example.com")).then().statusCode(403);
        invite(owner, workspace, Map.of("email", "nope")).then().statusCode(400);
        invite(owner, workspace, Map.of("email", address, "anyoneWithLink", true)).then().statusCode(400);

        accept(stranger, code).then().statusCode(403).body("detail", equalTo("this invitation is for another email "
                + "address"));
        accept(claimant, code).then().statusCode(403).body("detail", equalTo("verify your email address to accept "
                + "this invitation"));
        accept(invitee, code).then().statusCode(200).body("workspaceId", equalTo(workspace));
        accept(invitee, code).then().statusCode(200);
        accept(invitee, "no-such-code").then().statusCode(404);
        given().header("Authorization", invitee).get("/v1/track/me").then()
                .body("memberships.workspaceId", hasItem(workspace));
        given().header("Authorization", claimant).get("/v1/track/me").then()
                .body("memberships.workspaceId", not(hasItem(workspace)));
    }

    @Test
    void aLinkInvitationIsAcceptedByAnyoneUntilItIsRevoked() {
        String owner = person("owner-" + UUID.randomUUID() + "@example.com", true);
        int workspace = workspaceOf(owner);
        String code = invite(owner, workspace, Map.of("anyoneWithLink", true)).then().statusCode(201)
                .body("anyoneWithLink", equalTo(true)).extract().path("code");
        String first = person("first-" + UUID.randomUUID() + "@example.com", false);
        String second = person("second-" + UUID.randomUUID() + "@example.com", true);
        String late = person("late-" + UUID.randomUUID() + "@example.com", true);

        accept(first, code).then().statusCode(200).body("workspaceId", equalTo(workspace));
        accept(second, code).then().statusCode(200);
        given().header("Authorization", first).delete("/v1/track/invitations/" + code).then().statusCode(403);
        given().header("Authorization", owner).delete("/v1/track/invitations/" + code).then().statusCode(204);
        accept(late, code).then().statusCode(409);
    }

    @Test
    void anExpiredInvitationCannotBeAccepted() {
        String owner = person("owner-" + UUID.randomUUID() + "@example.com", true);
        int workspace = workspaceOf(owner);
        String address = "late-" + UUID.randomUUID() + "@example.com";
        String code = invite(owner, workspace, Map.of("email", address)).then().statusCode(201).extract()
                .path("code");
        Sql.execute(dataSource, "UPDATE invitations SET expires_at = now() - interval '1 second' WHERE code = ?", code);

        accept(person(address, true), code).then().statusCode(409);
    }

    private static io.restassured.response.Response invite(String who, int workspace, Map<String, Object> body) {
        return given().header("Authorization", who).contentType(ContentType.JSON).body(body)
                .post("/v1/track/workspaces/" + workspace + "/invitations");
    }

    private static io.restassured.response.Response accept(String who, String code) {
        return given().header("Authorization", who).post("/v1/track/invitations/" + code + "/accept");
    }

    private static int workspaceOf(String who) {
        return given().header("Authorization", who).get("/v1/track/me").then().statusCode(200)
                .extract().path("memberships[0].workspaceId");
    }

    /** A Track user the adapter meets through their first request; returns their Authorization header. */
    private String person(String email, boolean verified) {
        AccountLogWriter.Account account;
        try (AccountLogWriter log = new AccountLogWriter(KafkaServer.shared().bootstrapServers(),
                "accounts.events")) {
            account = log.newAccount(email, "Someone", List.of("track"), "track", null);
            if (verified) {
                account.next(s -> s.withEmail(email, true), s -> EmailVerified.of(s, email));
            }
        }
        issuer.knows(account);
        String header = "Bearer " + issuer.token(account.id(), UUID.randomUUID(), List.of("track"),
                Duration.ofMinutes(5));
        given().header("Authorization", header).get("/v1/track/me").then().statusCode(200);
        return header;
    }
}
