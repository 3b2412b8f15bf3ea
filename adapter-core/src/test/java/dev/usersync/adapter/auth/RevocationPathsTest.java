package dev.usersync.adapter.auth;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import dev.usersync.adapter.consumer.AccountLogConsumer;
import dev.usersync.adapter.probe.Probe;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.AccountUpdated;
import dev.usersync.events.EventSigner;
import dev.usersync.events.SessionRevoked;
import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import dev.usersync.testsupport.Sql;
import dev.usersync.testsupport.TestIssuer;
import dev.usersync.testsupport.TestIssuerResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * No path loses a revocation: every way an account can move past a SessionRevoked it has not applied (a sync-on-miss
 * while the consumer lags, a dead letter followed by a later event, a gap in the sequence) still ends the session, and
 * an operator's replay of a dead letter takes effect. (The bootstrap after compaction: {@code consumer.BootstrapTest}.)
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class RevocationPathsTest {

    private static final String ME = "/v1/probe/me";
    private static final String GROUP = "probe-adapter";
    private static final String DEAD_LETTERS = "probe-adapter.dead-letter";
    private static final String ADMIN = "Bearer test-adapter-admin-key";

    @Inject
    AccountLogConsumer consumer;

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    private final TestIssuer issuer = TestIssuer.shared();

    @Test
    void aSyncOnMissWhileTheConsumerLagsCarriesTheRevocationsItsHeadJumpsOver() throws Exception {
        UUID loggedOut = UUID.randomUUID();
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, "accounts.events")) {
            AccountLogWriter.Account ada = account(log);
            consumer.stop();
            RecordMetadata last;
            try {
                log.send(ada.last());
                log.send(ada.next(s -> s, s -> SessionRevoked.of(s, List.of(loggedOut),
                        SessionRevoked.Reason.LOGOUT)));
                last = log.send(ada.next(s -> s.withName("Ada King"), s -> AccountUpdated.of(s, List.of("name"))));
                issuer.knows(ada, loggedOut);

                assertThat(status(ada, UUID.randomUUID())).as("a new session, met before the log").isEqualTo(200);
                assertThat(status(ada, loggedOut)).as("the logged-out session, right after the sync").isEqualTo(401);
            } finally {
                consumer.start();
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> log.consumedPast(GROUP, last));
            assertThat(status(ada, loggedOut)).as("the logged-out session, the log caught up").isEqualTo(401);
        }
    }

    /**
     * The revocation's apply fails (here a product trigger refuses the row); it is dead-lettered, yet its sessions are
     * ended at once, and the account's later events still apply. After the fix, the operator replays it.
     */
    @Test
    void aDeadLetteredRevocationFollowedByALaterEventStillEndsTheSession() throws Exception {
        UUID loggedOut = UUID.randomUUID();
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, "accounts.events")) {
            AccountLogWriter.Account ada = account(log);
            log.send(ada.last());
            Probe.awaitSequence(dataSource, ada, 1);
            Sql.execute(dataSource, """
                    CREATE FUNCTION refuse_revoked_boom() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF NEW.name = 'Boom' THEN RAISE EXCEPTION 'refused by a product rule'; END IF;
                        RETURN NEW;
                    END $$""");
            Sql.execute(dataSource, "CREATE TRIGGER refuse_revoked_boom BEFORE INSERT OR UPDATE ON people FOR EACH ROW "
                    + "EXECUTE FUNCTION refuse_revoked_boom()");
            try {
                RecordMetadata revocation = log.send(ada.next(s -> s.withName("Boom"), s -> SessionRevoked.of(s,
                        List.of(loggedOut), SessionRevoked.Reason.LOGOUT)));
                await().atMost(Duration.ofSeconds(30)).until(() -> log.consumedPast(GROUP, revocation));
            } finally {
                Sql.execute(dataSource, "DROP TRIGGER refuse_revoked_boom ON people");
                Sql.execute(dataSource, "DROP FUNCTION refuse_revoked_boom()");
            }
            log.send(ada.next(s -> s.withName("Ada King"), s -> AccountUpdated.of(s, List.of("name"))));
            Probe.awaitSequence(dataSource, ada, 3);

            assertThat(status(ada, loggedOut)).isEqualTo(401);
            given().header("Authorization", ADMIN).queryParam("origin", origin(log, ada, 2))
                    .post("/v1/admin/dead-letters/replay").then().statusCode(200)
                    .body("records", equalTo(1))
                    .body("replayed[0].outcome", equalTo("ALREADY_APPLIED"));
            assertThat(status(ada, loggedOut)).isEqualTo(401);
        }
    }

    /**
     * A revocation signed with an event key the adapter could not find (published late) is dead-lettered; once the
     * key is published, the operator's replay applies it, though later events of the account moved it on.
     */
    @Test
    void replayingADeadLetterAfterTheFixAppliesItsRevocation() throws Exception {
        UUID loggedOut = UUID.randomUUID();
        EventSigner unpublished = EventSigner.generate("published-late-" + UUID.randomUUID());
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, "accounts.events")) {
            AccountLogWriter.Account ada = account(log);
            log.send(ada.last());
            AccountEvent revocation = unpublished.sign(ada.next(s -> s, s -> SessionRevoked.of(s,
                    List.of(loggedOut), SessionRevoked.Reason.LOGOUT)));
            RecordMetadata sent = log.send(revocation);
            await().atMost(Duration.ofSeconds(30)).until(() -> log.consumedPast(GROUP, sent));
            assertThat(status(ada, loggedOut)).as("before the key is published").isEqualTo(200);

            issuer.publishEventKey(unpublished);
            given().header("Authorization", "Bearer wrong").post("/v1/admin/dead-letters/replay").then()
                    .statusCode(401);
            // the adapter looks an unknown kid up at most once a second; replaying again is harmless
            await().atMost(Duration.ofSeconds(10)).until(() -> "APPLIED".equals(given().header("Authorization", ADMIN)
                    .queryParam("origin", origin(sent)).post("/v1/admin/dead-letters/replay").then().statusCode(200)
                    .body("replayed[0].deadLetterReason", startsWith("unknown-key: "))
                    .extract().path("replayed[0].outcome")));
            assertThat(status(ada, loggedOut)).as("after the replay").isEqualTo(401);
        }
    }

    /**
     * An event above the next sequence: the missing one revoked a session. The event applies (it carries the full
     * state), the gap is counted and healed from the accounts service when it answers, and the session ends.
     */
    @Test
    void aGapIsHealedFromTheAccountsServiceAndCounted() throws Exception {
        // gaps other tests left (accounts the issuer never knew) would come first in the healer's rounds, and a round
        // stops at the first fetch that times out: while the issuer stalls, this account's gap might never be tried
        Sql.execute(dataSource, "DELETE FROM sync_gaps");
        UUID loggedOut = UUID.randomUUID();
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, "accounts.events")) {
            AccountLogWriter.Account ada = account(log);
            log.send(ada.last());
            Probe.awaitSequence(dataSource, ada, 1);
            ada.next(s -> s, s -> SessionRevoked.of(s, List.of(loggedOut), SessionRevoked.Reason.LOGOUT));
            AccountEvent after = ada.next(s -> s.withName("Ada King"), s -> AccountUpdated.of(s, List.of("name")));
            issuer.knows(ada, loggedOut);
            double gaps = registry.counter("adapter.sequence.gaps").count();

            issuer.stall();
            try {
                log.send(after);
                Probe.awaitSequence(dataSource, ada, 3);
                await().atMost(Duration.ofSeconds(30)).until(() -> Sql.number(dataSource,
                        "SELECT coalesce(max(attempts), 0) FROM sync_gaps WHERE account_id = ?", ada.id()) >= 1);
                assertThat(status(ada, loggedOut)).as("while the accounts service hangs").isEqualTo(200);
            } finally {
                issuer.resume();
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> status(ada, loggedOut) == 401);
            assertThat(Sql.number(dataSource, "SELECT count(*) FROM sync_gaps WHERE account_id = ?", ada.id()))
                    .isZero();
            assertThat(registry.counter("adapter.sequence.gaps").count() - gaps).isEqualTo(1);
        }
    }

    private static AccountLogWriter.Account account(AccountLogWriter log) {
        return log.newAccount("revoked-" + UUID.randomUUID() + "@example.com", "Ada", List.of("probe"), "probe",
                null);
    }

    private int status(AccountLogWriter.Account account, UUID session) {
        return given().header("Authorization", "Bearer " + issuer.token(account.id(), session, List.of("probe"),
                Duration.ofMinutes(5))).get(ME).statusCode();
    }


    private static String origin(RecordMetadata record) {
        return record.topic() + "/" + record.partition() + "@" + record.offset();
    }

    /** Where the account's event of this sequence was read, as its dead letter says. */
    private static String origin(AccountLogWriter log, AccountLogWriter.Account account, long sequence) {
        return log.readAll(DEAD_LETTERS).stream()
                .filter(r -> account.id().toString().equals(new String(r.key())))
                .filter(r -> String.valueOf(sequence).equals(AccountLogWriter.header(r, "sequence")))
                .map(r -> AccountLogWriter.header(r, "dead-letter-origin")).findFirst().orElseThrow();
    }
}
