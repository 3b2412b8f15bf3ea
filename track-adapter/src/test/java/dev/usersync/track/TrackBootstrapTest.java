package dev.usersync.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.usersync.adapter.consumer.AccountLogConsumer;
import dev.usersync.events.AccountUpdated;
import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import dev.usersync.testsupport.TestIssuerResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** A new adapter on an empty database starts from the compacted state topic, not from the beginning of the log. */
@QuarkusTest
@TestProfile(TrackBootstrapTest.FreshTopics.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class TrackBootstrapTest {

    static final String SUFFIX = UUID.randomUUID().toString().substring(0, 8);
    static final String LOG = "bootstrap.events." + SUFFIX;
    static final String STATE = "bootstrap.state." + SUFFIX;
    static final int MARGIN = 2;

    public static class FreshTopics implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("adapter.topics.account-log", LOG, "adapter.topics.account-state", STATE,
                    "adapter.consumer.enabled", "false", "adapter.consumer.bootstrap-margin", Integer.toString(MARGIN));
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
    void theStateTopicFillsTheCacheAndTheLogIsFollowedFromNearItsEnd() throws Exception {
        List<AccountLogWriter.Account> people = new ArrayList<>();
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, LOG);
                AccountLogWriter state = new AccountLogWriter(bootstrapServers, STATE)) {
            for (int i = 0; i < 30; i++) {
                AccountLogWriter.Account person = log.newAccount("boot-" + UUID.randomUUID() + "@example.com",
                        "Person " + i, List.of("track"), "track", null);
                log.send(person.last());
                for (int change = 1; change <= 2; change++) {
                    String name = "Person " + i + " v" + change;
                    log.send(person.next(s -> rename(s, name), s -> AccountUpdated.of(s, List.of("name"))));
                }
                state.send(person.last());
                people.add(person);
            }

            consumer.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> people.stream().allMatch(p -> sequence(p.id()) == 3));
            for (AccountLogWriter.Account person : people) {
                assertThat(name(person.id())).isEqualTo(person.state().name());
            }

            AccountLogWriter.Account first = people.get(0);
            log.send(first.next(s -> rename(s, "After bootstrap"), s -> AccountUpdated.of(s, List.of("name"))));
            await().atMost(Duration.ofSeconds(30)).until(() -> sequence(first.id()) == 4);
            double readFromLog = registry.counter("adapter.events.applied").count()
                    + registry.counter("adapter.events.already.applied").count();
            assertThat(readFromLog).as("log records read after bootstrap (the log holds 91)")
                    .isLessThanOrEqualTo(6 * MARGIN + 1);
        }
    }

    private static dev.usersync.events.AccountState rename(dev.usersync.events.AccountState s, String name) {
        return new dev.usersync.events.AccountState(s.id(), s.email(), s.emailVerified(), name, s.locale(),
                s.timeZone(), s.products(), s.status(), s.legacyIds(), s.identities());
    }

    private long sequence(UUID account) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT coalesce(max(sequence), 0) FROM sync_accounts WHERE account_id = ?")) {
            s.setObject(1, account);
            try (ResultSet row = s.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private String name(UUID account) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT fullname FROM users WHERE account_id = ?")) {
            s.setObject(1, account);
            try (ResultSet row = s.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }
}
