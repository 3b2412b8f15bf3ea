package dev.usersync.adapter.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.usersync.adapter.probe.Probe;
import dev.usersync.adapter.probe.ProbeProjection;
import dev.usersync.events.AccountClosed;
import dev.usersync.events.AccountStatus;
import dev.usersync.events.AccountUpdated;
import dev.usersync.events.ProductAccessGranted;
import dev.usersync.events.ProductAccessRevoked;
import dev.usersync.events.SessionRevoked;
import dev.usersync.events.Topics;
import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import dev.usersync.testsupport.Sql;
import dev.usersync.testsupport.TestIssuerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Every kind of account event reaches the product through the apply step, which keeps the account's state and revoked
 * sessions besides: profile changes, lost and regained access, a logout, closure, and accounts that do not use the
 * product yet.
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class AccountLifecycleTest {

    private static final String PRODUCT = ProbeProjection.PRODUCT;

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @Test
    void profileChangesLostAccessALogoutAndClosureReachTheProductAndTheAdaptersState() {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, Topics.ACCOUNT_LOG)) {
            AccountLogWriter.Account ada = log.newAccount(Probe.email("life"), "Ada", List.of(PRODUCT), PRODUCT, null);
            log.send(ada.last());
            String newEmail = Probe.email("moved");
            log.send(ada.next(s -> s.withEmail(newEmail, false).withName("Ada King"),
                    s -> AccountUpdated.of(s, List.of("email", "name"))));
            Probe.awaitSequence(dataSource, ada.id(), 2);
            assertThat(text("SELECT email FROM people WHERE account_id = ?", ada.id())).isEqualTo(newEmail);
            assertThat(text("SELECT name FROM people WHERE account_id = ?", ada.id())).isEqualTo("Ada King");
            assertThat(text("SELECT state->>'email' FROM sync_accounts WHERE account_id = ?", ada.id()))
                    .isEqualTo(newEmail);

            log.send(ada.next(s -> s.withProducts(List.of()), s -> ProductAccessRevoked.of(s, PRODUCT)));
            Probe.awaitSequence(dataSource, ada.id(), 3);
            assertThat(text("SELECT active::text FROM people WHERE account_id = ?", ada.id())).isEqualTo("false");

            log.send(ada.next(s -> s.withProducts(List.of(PRODUCT)), s -> ProductAccessGranted.of(s, PRODUCT)));
            Probe.awaitSequence(dataSource, ada.id(), 4);
            assertThat(text("SELECT active::text FROM people WHERE account_id = ?", ada.id())).isEqualTo("true");

            UUID session = UUID.randomUUID();
            log.send(ada.next(s -> s, s -> SessionRevoked.of(s, List.of(session), SessionRevoked.Reason.LOGOUT)));
            log.send(ada.next(s -> s.withStatus(AccountStatus.CLOSED),
                    s -> AccountClosed.of(s, AccountClosed.Reason.REQUESTED)));
            Probe.awaitSequence(dataSource, ada.id(), 6);
            assertThat(text("SELECT account_id::text FROM sync_revoked_sessions WHERE session_id = ?", session))
                    .isEqualTo(ada.id().toString());
            assertThat(text("SELECT email FROM people WHERE account_id = ?", ada.id())).endsWith("@invalid");
            assertThat(text("SELECT name FROM people WHERE account_id = ?", ada.id())).isNull();
            assertThat(text("SELECT active::text FROM people WHERE account_id = ?", ada.id())).isEqualTo("false");
            assertThat(text("SELECT state->>'status' FROM sync_accounts WHERE account_id = ?", ada.id()))
                    .isEqualTo(AccountStatus.CLOSED.name());
            assertThat(Sql.number(dataSource, "SELECT applies FROM people WHERE account_id = ?", ada.id()))
                    .as("calls of the projection: one per event").isEqualTo(6);
        }
    }

    /** The adapter follows every account, so the grant of the product finds its state and reaches the product. */
    @Test
    void anAccountWithoutTheProductIsFollowedAndReachesTheProductWhenGrantedIt() {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, Topics.ACCOUNT_LOG)) {
            AccountLogWriter.Account carol = log.newAccount(Probe.email("other"),
                    "Carol", List.of("plan"), "plan", null);
            log.send(carol.last());
            Probe.awaitSequence(dataSource, carol.id(), 1);
            assertThat(Sql.number(dataSource, "SELECT count(*) FROM people WHERE account_id = ?", carol.id()))
                    .isZero();

            log.send(carol.next(s -> s.withProducts(List.of("plan", PRODUCT)),
                    s -> ProductAccessGranted.of(s, PRODUCT)));
            Probe.awaitSequence(dataSource, carol.id(), 2);
            assertThat(text("SELECT name FROM people WHERE account_id = ?", carol.id())).isEqualTo("Carol");
            assertThat(text("SELECT active::text FROM people WHERE account_id = ?", carol.id())).isEqualTo("true");
        }
    }

    private String text(String sql, Object... parameters) {
        return Sql.text(dataSource, sql, parameters);
    }
}
