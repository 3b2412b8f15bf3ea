package dev.usersync.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersync.accounts.account.model.Account;
import dev.usersync.accounts.outbox.EventRecorder;
import dev.usersync.events.AccountUpdated;
import dev.usersync.events.ChainVerifier;
import dev.usersync.events.EventCodec;
import dev.usersync.events.EventKeys;
import dev.usersync.events.EventSchemas;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import dev.usersync.web.Problem;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Each change and its event commit together; one account's events are numbered one at a time and chained. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
class OutboxTest {

    @Inject
    DataSource dataSource;

    @Inject
    EventRecorder recorder;

    @Test
    void manyConcurrentChangesToOneAccountGetAGapFreeSequenceAndAValidChain() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("concurrent"));
        String admin = "/v1/admin/accounts/" + ada.accountId() + "/products/plan";
        int writers = 8;
        int changesEach = 15;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            done.add(pool.submit(() -> {
                for (int i = 0; i < changesEach; i++) {
                    if (writer == 0) {
                        RestAssured.given().header("Authorization", AccountsApi.ADMIN)
                                .request(i % 2 == 0 ? "PUT" : "DELETE", admin).then().statusCode(200);
                    } else {
                        ada.bearer().contentType(ContentType.JSON)
                                .body(Map.of("name", "writer " + writer + " change " + i)).patch("/v1/me")
                                .then().statusCode(200);
                    }
                }
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        List<JsonNode> events = AccountsApi.outbox(dataSource, ada.accountId());
        assertThat(events).hasSize(1 + writers * changesEach);
        assertThat(events.stream().map(e -> e.get("sequence").asLong()).toList())
                .containsExactlyElementsOf(LongStream.rangeClosed(1, events.size()).boxed().toList());
        assertThat(ChainVerifier.firstBreak(events)).isEmpty();
        assertThat(events).allSatisfy(e -> assertThat(EventSchemas.validate(e)).isEmpty());
        JsonNode last = events.get(events.size() - 1);
        assertThat(AccountsApi.count(dataSource, "SELECT last_sequence FROM accounts WHERE id = '"
                + ada.accountId() + "'")).isEqualTo(last.get("sequence").asLong());
    }

    @Test
    void aTransactionThatFailsAfterRecordingLeavesNoOutboxRowAndNoChange() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("rollback"));
        long rows = AccountsApi.count(dataSource, "SELECT count(*) FROM outbox");

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            Account account = Account.lock(ada.accountId()).orElseThrow();
            account.name = "never committed";
            recorder.record(account, state -> AccountUpdated.of(state, List.of("name")));
            throw new IllegalStateException("something after the event failed");
        })).hasMessageContaining("something after the event failed");

        assertThat(AccountsApi.count(dataSource, "SELECT count(*) FROM outbox")).isEqualTo(rows);
        assertThat(AccountsApi.count(dataSource, "SELECT last_sequence FROM accounts WHERE id = '"
                + ada.accountId() + "'")).isEqualTo(1);
        ada.cookie().get("/v1/me").then().body("name", org.hamcrest.Matchers.equalTo("Ada Lovelace"));
    }

    /** The last line of defence behind the API's field rules: nothing a consumer would reject is ever committed. */
    @Test
    void aChangeWhoseEventFailsItsSchemaIsRefusedWith400AndRollsBack() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("schema-guard"));
        long rows = AccountsApi.count(dataSource, "SELECT count(*) FROM outbox");

        assertThatThrownBy(() -> QuarkusTransaction.requiringNew().run(() -> {
            Account account = Account.lock(ada.accountId()).orElseThrow();
            account.locale = "en-" + "abcdefgh-".repeat(4) + "x";
            recorder.record(account, state -> AccountUpdated.of(state, List.of("locale")));
        })).isInstanceOfSatisfying(Problem.class, problem -> {
            assertThat(problem.status()).isEqualTo(400);
            assertThat(problem.type()).isEqualTo("invalid-event");
            assertThat(problem.detail()).contains("locale");
        });

        assertThat(AccountsApi.count(dataSource, "SELECT count(*) FROM outbox")).isEqualTo(rows);
        ada.cookie().get("/v1/me").then().body("locale", org.hamcrest.Matchers.equalTo("en-GB"));
    }

    /** A header the schema caps must not let a client make its own logout (or a refresh reuse) fail to record. */
    @Test
    void anOversizedTraceStateIsDroppedAndCannotStopARevocation() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("tracestate"));
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

        ada.write().header("traceparent", traceparent).header("tracestate", "v=" + "x".repeat(600))
                .post("/v1/logout").then().statusCode(204);

        JsonNode revoked = AccountsApi.outbox(dataSource, ada.accountId()).get(1);
        assertThat(revoked.get("type").asText()).isEqualTo("SessionRevoked");
        assertThat(revoked.at("/trace/traceparent").asText()).isEqualTo(traceparent);
        assertThat(revoked.at("/trace/tracestate").isMissingNode()).isTrue();
    }

    @Test
    void everyEventIsSignedWithAPublishedEventKeyAndTheTokenKeysAreSeparate() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("signed"));
        JsonNode event = AccountsApi.outbox(dataSource, ada.accountId()).get(0);
        JsonNode eventKeys = EventCodec.mapper().readTree(RestAssured.get("/.well-known/event-keys.json")
                .asByteArray());
        JsonNode tokenKeys = EventCodec.mapper().readTree(RestAssured.get("/.well-known/jwks.json").asByteArray());

        assertThat(EventKeys.of(EventKeys.parseJwks(eventKeys)).check(event).authenticity())
                .isEqualTo(EventKeys.Authenticity.AUTHENTIC);
        assertThat(EventKeys.of(EventKeys.parseJwks(tokenKeys)).check(event).authenticity())
                .isEqualTo(EventKeys.Authenticity.UNKNOWN_KEY);
    }

    @Test
    void rotatedEventKeysStayPublishedSoTheWholeLogStaysVerifiable() throws Exception {
        AccountsApi.Browser ada = AccountsApi.signUp(AccountsApi.newEmail("rotated"));
        String before = AccountsApi.outbox(dataSource, ada.accountId()).get(0).at("/signature/kid").asText();

        String signing = RestAssured.given().header("Authorization", AccountsApi.ADMIN)
                .post("/v1/admin/signing-keys/events/rotate").then().statusCode(200).extract().path("signingKid");
        ada.write().body(Map.of("name", "Ada King")).patch("/v1/me").then().statusCode(200);

        List<JsonNode> events = AccountsApi.outbox(dataSource, ada.accountId());
        assertThat(events.get(1).at("/signature/kid").asText()).isEqualTo(signing).isNotEqualTo(before);
        EventKeys published = EventKeys.of(EventKeys.parseJwks(EventCodec.mapper().readTree(
                RestAssured.get("/.well-known/event-keys.json").asByteArray())));
        assertThat(events).allSatisfy(e -> assertThat(published.check(e).authentic()).isTrue());
        assertThat(ChainVerifier.firstBreak(events)).isEmpty();
    }

    @Test
    void theOutboxRowCarriesDebeziumsColumnsTheSequenceAndTheTraceContext() throws Exception {
        String traceparent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        String email = AccountsApi.newEmail("traced");
        String id = RestAssured.given().header("traceparent", traceparent).contentType(ContentType.JSON)
                .body(Map.of("email", email, "password", AccountsApi.PASSWORD, "product", "plan"))
                .post("/v1/signup").then().statusCode(201).extract().path("accountId");

        try (var c = dataSource.getConnection(); var s = c.createStatement(); var rows = s.executeQuery(
                "SELECT aggregatetype, aggregateid, type, sequence, traceparent, payload FROM outbox "
                        + "WHERE aggregateid = '" + id + "'")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString("aggregatetype")).isEqualTo("account");
            assertThat(rows.getString("aggregateid")).isEqualTo(id);
            assertThat(rows.getString("type")).isEqualTo("AccountCreated");
            assertThat(rows.getLong("sequence")).isEqualTo(1);
            assertThat(rows.getString("traceparent")).isEqualTo(traceparent);
            assertThat(rows.getString("payload")).contains("\"traceparent\":\"" + traceparent + "\"")
                    .doesNotContain("password").doesNotContain("argon2");
        }
    }
}
