package dev.usersync.adapter.consumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.usersync.adapter.probe.ProbeProjection;
import dev.usersync.events.AccountUpdated;
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
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * A new adapter on an empty database starts from the compacted state topic, not from the beginning of the log, and
 * replays the log's last revocation window: compaction keeps an account's latest event only, so a logout followed by
 * any other change is not in the state topic, and its session must still be refused.
 */
@QuarkusTest
@TestProfile(BootstrapTest.FreshTopics.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class BootstrapTest {

    static final String PRODUCT = ProbeProjection.PRODUCT;
    static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    static final String LOG = "bootstrap.events." + SUFFIX;
    static final String STATE = "bootstrap.state." + SUFFIX;
    static final int MARGIN = 2;
    /** Changes after Ada's logout: more than the margin, so only the revocation window brings the logout back. */
    static final int ADA_CHANGES = MARGIN + 2;

    /** Topics of its own, and a consumer the test starts once they are written: a first start on empty topics. */
    public static class FreshTopics implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("adapter.topics.account-log", LOG, "adapter.topics.account-state", STATE,
                    "adapter.consumer.enabled", "false", "adapter.consumer.bootstrap-margin", Integer.toString(MARGIN),
                    "adapter.auth.revocation-window", "PT1H");
        }
    }

    @Inject
    AccountLogConsumer consumer;

    @Inject
    DataSource dataSource;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void theStateTopicFillsTheCacheAndOnlyTheRevocationWindowOfTheLogIsReplayed() {
        List<AccountLogWriter.Account> people = new ArrayList<>();
        Instant longAgo = Instant.now().minus(Duration.ofHours(2));
        UUID loggedOut = UUID.randomUUID();
        AccountLogWriter.Account ada;
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, LOG);
                AccountLogWriter state = new AccountLogWriter(bootstrapServers, STATE)) {
            for (int i = 0; i < 30; i++) {
                AccountLogWriter.Account person = log.newAccount("boot-" + UUID.randomUUID() + "@example.com",
                        "Person " + i, List.of(PRODUCT), PRODUCT, null);
                log.sendAt(person.last(), longAgo);
                for (int change = 1; change <= 2; change++) {
                    String name = "Person " + i + " v" + change;
                    log.sendAt(person.next(s -> s.withName(name), s -> AccountUpdated.of(s, List.of("name"))),
                            longAgo);
                }
                state.send(person.last());
                people.add(person);
            }
            ada = log.newAccount("boot-ada-" + UUID.randomUUID() + "@example.com", "Ada", List.of(PRODUCT), PRODUCT,
                    null);
            log.send(ada.last());
            log.send(ada.next(s -> s, s -> SessionRevoked.of(s, List.of(loggedOut), SessionRevoked.Reason.LOGOUT)));
            for (int change = 1; change <= ADA_CHANGES; change++) {
                String name = "Ada v" + change;
                log.send(ada.next(s -> s.withName(name), s -> AccountUpdated.of(s, List.of("name"))));
            }
            state.send(ada.last());
            AccountLogWriter.Account adaNow = ada;

            consumer.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> people.stream().allMatch(p -> sequence(p.id()) == 3)
                    && sequence(adaNow.id()) == 2 + ADA_CHANGES);
            people.add(ada);
        }
        for (AccountLogWriter.Account person : people) {
            assertThat(Sql.text(dataSource, "SELECT name FROM people WHERE account_id = ?", person.id()))
                    .isEqualTo(person.state().name());
        }
        given().header("Authorization", "Bearer " + TestIssuer.shared().token(ada.id(), loggedOut,
                List.of(PRODUCT), Duration.ofMinutes(5))).get("/v1/probe/me").then().statusCode(401);
        double readFromLog = registry.counter("adapter.events.applied").count()
                + registry.counter("adapter.events.already.applied").count() - people.size();
        assertThat(readFromLog).as("log records read after the %d of the state topic (the log holds %d, %d of them "
                + "recent)", people.size(), 90 + 2 + ADA_CHANGES, 2 + ADA_CHANGES)
                .isLessThanOrEqualTo(6 * MARGIN + 2 + ADA_CHANGES);
    }

    private long sequence(UUID account) {
        return Sql.number(dataSource, "SELECT coalesce(max(sequence), 0) FROM sync_accounts WHERE account_id = ?",
                account);
    }
}
