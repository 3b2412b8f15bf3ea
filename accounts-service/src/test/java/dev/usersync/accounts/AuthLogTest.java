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
import io.restassured.path.json.JsonPath;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every authentication action is recorded and searchable by account, time, action, product and outcome. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class AuthLogTest {

    @Test
    void successesAndFailuresAreRecordedWithWhoWhatHowAndWhere() {
        Instant start = Instant.now();
        String email = AccountsApi.newEmail("audited");
        AccountsApi.Browser ada = AccountsApi.signUp(email);
        given().header("User-Agent", "TrackApp/1.0").header("X-Forwarded-For", "198.51.100.7")
                .contentType(ContentType.JSON).body(Map.of("email", email, "password", "wrong", "product", "plan"))
                .post("/v1/login").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("email", email, "password", PASSWORD, "product", "track"))
                .post("/v1/login").then().statusCode(200);
        ada.write().post("/v1/logout").then().statusCode(204);

        JsonPath all = search("accountId=" + ada.accountId() + "&from=" + start);
        assertThat(all.getList("entries.action")).containsExactly("logout", "login", "login", "sign-up");
        assertThat(all.getInt("total")).isEqualTo(4);

        JsonPath failure = search("accountId=" + ada.accountId() + "&outcome=failure");
        assertThat(failure.getString("entries[0].reason")).isEqualTo("wrong-password");
        assertThat(failure.getString("entries[0].product")).isEqualTo("plan");
        assertThat(failure.getString("entries[0].ip")).isEqualTo("198.51.100.7");
        assertThat(failure.getString("entries[0].userAgent")).isEqualTo("TrackApp/1.0");
        assertThat(failure.getString("entries[0].method")).isEqualTo("password");

        assertThat(search("accountId=" + ada.accountId() + "&action=login&product=track").getInt("total"))
                .isEqualTo(1);
        assertThat(search("accountId=" + ada.accountId() + "&to=" + start).getInt("total")).isZero();
    }

    @Test
    void aFailureForAnUnknownEmailIsRecordedWithoutAnAccount() {
        Instant start = Instant.now();
        given().header("X-Forwarded-For", "198.51.100.99").contentType(ContentType.JSON)
                .body(Map.of("email", AccountsApi.newEmail("ghost"), "password", "whatever"))
                .post("/v1/login").then().statusCode(401);

        JsonPath found = search("action=login&outcome=failure&from=" + start);
        assertThat(found.getList("entries.reason")).contains("unknown-email");
        assertThat(found.getList("entries.ip", String.class)).contains("198.51.100.99");
    }

    @Test
    void resultsComeInPages() {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("pages"));
        for (int i = 0; i < 3; i++) {
            AccountsApi.login(ada.email(), PASSWORD);
        }

        JsonPath first = search("accountId=" + ada.accountId() + "&size=2&page=0");
        JsonPath second = search("accountId=" + ada.accountId() + "&size=2&page=1");

        assertThat(first.getInt("total")).isEqualTo(4);
        assertThat(first.getList("entries")).hasSize(2);
        assertThat(second.getList("entries")).hasSize(2);
        List<Long> ids = first.getList("entries.id", Long.class);
        assertThat(ids).doesNotContainAnyElementsOf(second.getList("entries.id", Long.class));
    }

    @Test
    void badSearchesAreProblemsAndNeedTheAdminKey() {
        given().header("Authorization", AccountsApi.ADMIN).get("/v1/admin/auth-log?from=yesterday")
                .then().statusCode(400).body("type", equalTo("https://usersync.dev/problems/invalid-time"));
        given().header("Authorization", AccountsApi.ADMIN).get("/v1/admin/auth-log?action=hack")
                .then().statusCode(400);
        given().header("Authorization", AccountsApi.ADMIN).get("/v1/admin/auth-log?size=100000")
                .then().statusCode(400);
        given().get("/v1/admin/auth-log").then().statusCode(401);
    }

    private static JsonPath search(String query) {
        return given().header("Authorization", AccountsApi.ADMIN).get("/v1/admin/auth-log?" + query)
                .then().statusCode(200).extract().jsonPath();
    }
}
