package dev.usersync.work;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.usersync.events.AccountClosed;
import dev.usersync.events.AccountStatus;
import dev.usersync.events.ProductAccessRevoked;
import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import dev.usersync.testsupport.Sql;
import dev.usersync.testsupport.TestIssuer;
import dev.usersync.testsupport.TestIssuerResource;
import dev.usersync.work.sync.WorkProjection;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Work's own rules, on its people table, from events on a real log. Everything else is adapter-core's, tested there.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class WorkRulesTest {

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void aSignUpFromWorkStartsInTheDefaultCostCentreAndReadsItselfWithAWorkToken() throws Exception {
        try (AccountLogWriter log = log()) {
            AccountLogWriter.Account ada = log.newAccount(email(), "Ada Lovelace", List.of("work"), "work", null);
            applied(log, log.send(ada.last()));

            assertThat(Sql.text(dataSource, "SELECT cost_center FROM people WHERE account_id = ?", ada.id()))
                    .isEqualTo(WorkProjection.DEFAULT_COST_CENTER);
            TestIssuer issuer = TestIssuer.shared();
            issuer.knows(ada);
            given().header("Authorization", "Bearer " + issuer.token(ada.id(), UUID.randomUUID(), List.of("work"),
                    Duration.ofMinutes(5))).get("/v1/work/me").then().statusCode(200)
                    .body("displayName", equalTo("Ada Lovelace")).body("costCenter", equalTo("GENERAL"))
                    .body("approver", nullValue());
            given().header("Authorization", "Bearer " + issuer.token(ada.id(), UUID.randomUUID(), List.of("plan"),
                    Duration.ofMinutes(5))).get("/v1/work/me").then().statusCode(401);
        }
    }

    @Test
    void someoneFromAnotherProductHasNoCostCentreUntilFinanceGivesThemOne() throws Exception {
        try (AccountLogWriter log = log()) {
            AccountLogWriter.Account bob = log.newAccount(email(), "Bob", List.of("track", "work"), "track", null);
            applied(log, log.send(bob.last()));

            assertThat(Sql.number(dataSource, "SELECT count(*) FROM people WHERE account_id = ? AND active "
                    + "AND cost_center IS NULL", bob.id())).isEqualTo(1);
        }
    }

    @Test
    void someoneWithoutWorkIsNoPersonAndLosingWorkDeactivates() throws Exception {
        try (AccountLogWriter log = log()) {
            AccountLogWriter.Account eve = log.newAccount(email(), "Eve", List.of("track"), "track", null);
            applied(log, log.send(eve.last()));
            assertThat(Sql.number(dataSource, "SELECT count(*) FROM people WHERE account_id = ?", eve.id())).isZero();

            AccountLogWriter.Account dan = log.newAccount(email(), "Dan", List.of("work"), "work", null);
            log.send(dan.last());
            applied(log, log.send(dan.next(s -> s.withProducts(List.of()), s -> new ProductAccessRevoked(s, "work"))));
            assertThat(Sql.number(dataSource, "SELECT count(*) FROM people WHERE account_id = ? AND NOT active",
                    dan.id())).isEqualTo(1);
        }
    }

    /**
     * An approver's account is closed: their name and email are erased and nobody waits for their approval any more,
     * but every expense report stays, theirs and those they already approved.
     */
    @Test
    void closureKeepsExpenseReportsButRemovesTheApproverRole() throws Exception {
        try (AccountLogWriter log = log()) {
            AccountLogWriter.Account approver = log.newAccount(email(), "Grace Hopper", List.of("work"), "work",
                    null);
            AccountLogWriter.Account employee = log.newAccount(email(), "Alan Turing", List.of("work"), "work", null);
            log.send(approver.last());
            applied(log, log.send(employee.last()));
            try (Connection connection = dataSource.getConnection()) {
                int grace = WorkProjection.personOf(connection, approver.id());
                int alan = WorkProjection.personOf(connection, employee.id());
                connection.createStatement().executeUpdate("UPDATE people SET is_approver = true WHERE id = " + grace);
                connection.createStatement().executeUpdate("UPDATE people SET approver_id = " + grace
                        + " WHERE id = " + alan);
                connection.createStatement().executeUpdate("INSERT INTO expense_reports (person_id, title, "
                        + "amount_cents, status, approver_id) VALUES (" + alan + ", 'train', 4200, 'approved', "
                        + grace + "), (" + alan + ", 'hotel', 12000, 'submitted', " + grace + "), (" + grace
                        + ", 'taxi', 1800, 'submitted', NULL)");
            }

            applied(log, log.send(approver.next(s -> s.withStatus(AccountStatus.CLOSED),
                    s -> AccountClosed.of(s, AccountClosed.Reason.REQUESTED))));

            assertThat(Sql.text(dataSource, "SELECT coalesce(display_name, '-') || '|' || is_approver || '|' || active"
                    + " FROM people WHERE account_id = ?", approver.id())).isEqualTo("-|false|false");
            assertThat(Sql.number(dataSource, "SELECT count(*) FROM people WHERE account_id = ? "
                    + "AND approver_id IS NULL", employee.id())).isEqualTo(1);
            assertThat(Sql.text(dataSource, "SELECT string_agg(r.title || ':' || r.status || ':' "
                    + "|| (r.approver_id IS NOT NULL), ',' ORDER BY r.id) FROM expense_reports r "
                    + "JOIN people p ON p.id = r.person_id "
                    + "WHERE p.account_id IN (?, ?)", employee.id(), approver.id()))
                    .isEqualTo("train:approved:true,hotel:submitted:false,taxi:submitted:false");
        }
    }

    private AccountLogWriter log() {
        return new AccountLogWriter(bootstrapServers, "accounts.events");
    }

    private static void applied(AccountLogWriter log, RecordMetadata sent) {
        await().atMost(Duration.ofSeconds(30)).until(() -> log.consumedPast("work-adapter", sent));
    }

    private static String email() {
        return "work-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }
}
