package dev.usersync.track;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.usersync.events.AccountClosed;
import dev.usersync.events.AccountStatus;
import dev.usersync.events.AccountUpdated;
import dev.usersync.events.EmailVerified;
import dev.usersync.events.ProductAccessGranted;
import dev.usersync.events.ProductAccessRevoked;
import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.KafkaResource;
import dev.usersync.testsupport.PostgresResource;
import dev.usersync.testsupport.Sql;
import dev.usersync.testsupport.TestIssuerResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Track's rules for its tables as the account log drives them: exactly one personal workspace or the invitation
 * signed up through, memberships that follow access to Track, closure. (Order, idempotence and dead letters are
 * adapter-core's: its ConsumerOrderingTest and DeadLettersTest.)
 */
@QuarkusTest
@WithTestResource(PostgresResource.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(TestIssuerResource.class)
class TrackSyncTest {

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    AccountLogWriter log;

    @BeforeEach
    void open() {
        log = new AccountLogWriter(bootstrapServers, "accounts.events");
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void someoneWhoSignsUpWithoutAnInvitationGetsExactlyOnePersonalWorkspace() throws Exception {
        AccountLogWriter.Account ada = log.newAccount(email("solo"), "Ada Lovelace", List.of("track"), "track", null);
        log.send(ada.last());

        awaitSequence(ada.id(), 1);
        assertThat(Sql.text(dataSource, "SELECT fullname FROM users WHERE account_id = ?", ada.id()))
                .isEqualTo("Ada Lovelace");
        assertThat(Sql.number(dataSource, "SELECT count(*) FROM workspaces w JOIN memberships m "
                + "ON m.workspace_id = w.id JOIN users u ON u.id = m.user_id "
                + "WHERE u.account_id = ? AND w.personal AND m.role = 'owner'", ada.id())).isEqualTo(1);
    }

    @Test
    void someoneWhoSignsUpThroughTheirInvitationJoinsOnceTheirEmailIsVerifiedAndGetsNoPersonalWorkspace()
            throws Exception {
        long workspace = workspace("Analytical Engines");
        String email = email("invited");
        invite(workspace, "inv-" + UUID.randomUUID(), email("someone-else"));
        String code = "inv-" + UUID.randomUUID();
        invite(workspace, code, email);
        AccountLogWriter.Account ada = log.newAccount(email, "Ada", List.of("track"), "track", code);
        log.send(ada.last());

        awaitSequence(ada.id(), 1);
        assertThat(workspacesOf(ada.id())).as("an unverified address proves nothing yet").isEmpty();
        assertThat(personalWorkspaces(ada.id())).isZero();

        log.send(ada.next(s -> s.withEmail(email, true), s -> EmailVerified.of(s, email)));
        awaitSequence(ada.id(), 2);
        assertThat(workspacesOf(ada.id())).containsExactly(workspace);
        assertThat(personalWorkspaces(ada.id())).isZero();
        assertThat(Sql.text(dataSource, "SELECT status FROM invitations WHERE code = ?", code)).isEqualTo("accepted");
    }

    /** Anyone may invite any address: an invitation the person did not sign up through waits for them to accept. */
    @Test
    void anInvitationToTheEmailThatThePersonDidNotSignUpThroughIsNotJoinedForThem() throws Exception {
        long workspace = workspace("Someone Else's");
        String email = email("pending");
        invite(workspace, "inv-" + UUID.randomUUID(), email.toUpperCase());
        AccountLogWriter.Account bob = log.newAccount(email, "Bob", List.of("track"), "track", null);
        log.send(bob.last());
        log.send(bob.next(s -> s.withEmail(email, true), s -> EmailVerified.of(s, email)));

        awaitSequence(bob.id(), 2);
        assertThat(workspacesOf(bob.id())).doesNotContain(workspace);
        assertThat(personalWorkspaces(bob.id())).isEqualTo(1);
    }

    @Test
    void aLinkInvitationIsJoinedByWhoeverSignsUpThroughIt() throws Exception {
        long workspace = workspace("Open Workshop");
        String code = "inv-" + UUID.randomUUID();
        Sql.execute(dataSource, "INSERT INTO invitations (code, workspace_id, kind) VALUES (?, ?, 'link')", code,
                workspace);
        AccountLogWriter.Account ada = log.newAccount(email("link"), "Ada", List.of("track"), "track", code);
        AccountLogWriter.Account bob = log.newAccount(email("link"), "Bob", List.of("track"), "track", code);
        log.send(ada.last());
        log.send(bob.last());

        awaitSequence(ada.id(), 1);
        awaitSequence(bob.id(), 1);
        assertThat(workspacesOf(ada.id())).containsExactly(workspace);
        assertThat(workspacesOf(bob.id())).containsExactly(workspace);
    }

    /**
     * The attack: someone signs up with the invitee's address, unverified, through the invitation, then moves to an
     * address of their own. They must never become a member; the real invitee, once they own the address, must join
     * and get no personal workspace.
     */
    @Test
    void whoeverClaimsAnInviteesAddressWithoutProvingItJoinsNothing() throws Exception {
        long workspace = workspace("Target Corp");
        String victim = email("victim");
        String code = "inv-" + UUID.randomUUID();
        invite(workspace, code, victim);
        AccountLogWriter.Account mallory = log.newAccount(victim, "Mallory", List.of("track"), "track", code);
        log.send(mallory.last());
        String own = email("mallory");
        log.send(mallory.next(s -> s.withEmail(own, false), s -> AccountUpdated.of(s, List.of("email"))));
        log.send(mallory.next(s -> s.withEmail(own, true), s -> EmailVerified.of(s, own)));
        awaitSequence(mallory.id(), 3);
        assertThat(workspacesOf(mallory.id())).as("Mallory's memberships").doesNotContain(workspace);

        AccountLogWriter.Account invitee = log.newAccount(victim, "Vic", List.of("track"), "track", code);
        log.send(invitee.last());
        log.send(invitee.next(s -> s.withEmail(victim, true), s -> EmailVerified.of(s, victim)));
        awaitSequence(invitee.id(), 2);
        assertThat(workspacesOf(invitee.id())).containsExactly(workspace);
        assertThat(personalWorkspaces(invitee.id())).isZero();
    }

    @Test
    void profileChangesLostAccessAndClosureReachTheUserAndTheirMemberships() throws Exception {
        AccountLogWriter.Account ada = log.newAccount(email("life"), "Ada", List.of("track"), "track", null);
        log.send(ada.last());
        String newEmail = email("moved");
        log.send(ada.next(s -> new dev.usersync.events.AccountState(s.id(), newEmail, false, "Ada King", "et-EE",
                "Europe/Tallinn", s.products(), s.status(), s.legacyIds(), s.identities()),
                s -> AccountUpdated.of(s, List.of("email", "name", "locale", "timeZone"))));
        awaitSequence(ada.id(), 2);
        assertThat(Sql.text(dataSource, "SELECT email FROM users WHERE account_id = ?", ada.id())).isEqualTo(newEmail);
        assertThat(Sql.text(dataSource, "SELECT timezone FROM users WHERE account_id = ?", ada.id()))
                .isEqualTo("Europe/Tallinn");

        log.send(ada.next(s -> s.withProducts(List.of()), s -> ProductAccessRevoked.of(s, "track")));
        awaitSequence(ada.id(), 3);
        assertThat(Sql.text(dataSource, "SELECT active::text FROM users WHERE account_id = ?", ada.id()))
                .isEqualTo("false");
        assertThat(activeMemberships(ada.id())).as("memberships without access to Track").isZero();

        log.send(ada.next(s -> s.withProducts(List.of("track")), s -> ProductAccessGranted.of(s, "track")));
        awaitSequence(ada.id(), 4);
        assertThat(activeMemberships(ada.id())).as("memberships with access to Track again").isEqualTo(1);
        log.send(ada.next(s -> s.withStatus(AccountStatus.CLOSED), s -> AccountClosed.of(s,
                AccountClosed.Reason.REQUESTED)));
        awaitSequence(ada.id(), 5);
        assertThat(Sql.text(dataSource, "SELECT email FROM users WHERE account_id = ?", ada.id())).endsWith("@invalid");
        assertThat(Sql.text(dataSource, "SELECT fullname FROM users WHERE account_id = ?", ada.id())).isNull();
        assertThat(activeMemberships(ada.id())).isZero();
        assertThat(personalWorkspaces(ada.id())).isEqualTo(1);
    }

    @Test
    void anAccountWithoutTrackGetsNoUserUntilItIsGrantedTrack() throws Exception {
        AccountLogWriter.Account carol = log.newAccount(email("plan-only"), "Carol", List.of("plan"), "plan", null);
        log.send(carol.last());
        awaitSequence(carol.id(), 1);
        assertThat(Sql.number(dataSource, "SELECT count(*) FROM users WHERE account_id = ?", carol.id())).isZero();

        log.send(carol.next(s -> s.withProducts(List.of("plan", "track")), s -> ProductAccessGranted.of(s, "track")));

        awaitSequence(carol.id(), 2);
        assertThat(Sql.number(dataSource, "SELECT count(*) FROM users WHERE account_id = ?", carol.id())).isEqualTo(1);
        assertThat(personalWorkspaces(carol.id())).isEqualTo(1);
    }

    private void awaitSequence(UUID account, long sequence) {
        await().atMost(Duration.ofSeconds(30)).until(() -> Sql.number(dataSource,
                "SELECT coalesce(max(sequence), 0) FROM sync_accounts WHERE account_id = ?", account) >= sequence);
    }

    private long activeMemberships(UUID account) {
        return Sql.number(dataSource, "SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id "
                + "WHERE u.account_id = ? AND m.active", account);
    }

    private long personalWorkspaces(UUID account) throws SQLException {
        return Sql.number(dataSource, "SELECT count(*) FROM workspaces w JOIN memberships m ON m.workspace_id = w.id "
                + "JOIN users u ON u.id = m.user_id WHERE u.account_id = ? AND w.personal", account);
    }

    private List<Long> workspacesOf(UUID account) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT m.workspace_id FROM memberships m JOIN users u ON u.id = m.user_id WHERE u.account_id = ?")) {
            s.setObject(1, account);
            try (ResultSet rows = s.executeQuery()) {
                List<Long> ids = new java.util.ArrayList<>();
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
                return ids;
            }
        }
    }

    private long workspace(String name) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO workspaces (name) VALUES (?) RETURNING id")) {
            s.setString(1, name);
            try (ResultSet row = s.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private void invite(long workspace, String code, String email) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "INSERT INTO invitations (code, workspace_id, email) VALUES (?, ?, ?)")) {
            s.setString(1, code);
            s.setLong(2, workspace);
            s.setString(3, email);
            s.executeUpdate();
        }
    }

    private static String email(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }
}
