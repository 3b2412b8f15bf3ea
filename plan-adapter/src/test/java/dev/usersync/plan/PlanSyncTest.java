package dev.usersync.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.usersync.events.AccountClosed;
import dev.usersync.events.AccountStatus;
import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import dev.usersync.testsupport.Sql;
import dev.usersync.testsupport.TestIssuerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/** Plan's member tables follow the account log in Plan's own shape. */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class PlanSyncTest {

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aSignUpFromPlanGetsAMemberWithSplitNamesAndADefaultTeam() throws Exception {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, "accounts.events")) {
            AccountLogWriter.Account ada = log.newAccount(email(), "Augusta Ada King", List.of("plan"), "plan", null);
            var sent = log.send(ada.last());

            await().atMost(Duration.ofSeconds(30)).until(() -> log.consumedPast("plan-adapter", sent));
            assertThat(Sql.text(dataSource, "SELECT first_name || '|' || last_name FROM members WHERE account_id = ?", ada.id()))
                    .isEqualTo("Augusta Ada|King");
            assertThat(Sql.number(dataSource, "SELECT count(*) FROM teams t JOIN members m ON m.id = t.owner_id "
                    + "WHERE m.account_id = ? AND t.is_default", ada.id())).isEqualTo(1);
        }
    }

    @Test
    void someoneFromAnotherProductBecomesAMemberWithoutATeamAndClosureDeletesThem() throws Exception {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, "accounts.events")) {
            AccountLogWriter.Account bob = log.newAccount(email(), "Bob", List.of("plan", "track"), "track", null);
            log.send(bob.last());
            var sent = log.send(bob.next(s -> s.withStatus(AccountStatus.CLOSED),
                    s -> AccountClosed.of(s, AccountClosed.Reason.REQUESTED)));

            await().atMost(Duration.ofSeconds(30)).until(() -> log.consumedPast("plan-adapter", sent));
            assertThat(Sql.text(dataSource, "SELECT status FROM members WHERE account_id = ?", bob.id())).isEqualTo("deleted");
            assertThat(Sql.text(dataSource, "SELECT first_name FROM members WHERE account_id = ?", bob.id())).isNull();
            assertThat(Sql.number(dataSource, "SELECT count(*) FROM teams t JOIN members m ON m.id = t.owner_id "
                    + "WHERE m.account_id = ?", bob.id())).isZero();
        }
    }

    private static String email() {
        return "plan-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }
}
