package dev.usersync.auditor;

import static dev.usersync.auditor.AuditCommandTest.concat;
import static org.assertj.core.api.Assertions.assertThat;

import dev.usersync.events.AccountClosed;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.AccountStatus;
import dev.usersync.events.AccountUpdated;
import dev.usersync.events.EventCodec;
import dev.usersync.events.ProductAccessGranted;
import dev.usersync.events.SessionRevoked;
import dev.usersync.events.Uuid7;
import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.PostgresServer;
import dev.usersync.testsupport.Sql;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@code rebuild} and {@code diff} on a real broker and real PostgreSQL databases: a log with changes, closures,
 * revoked sessions, redeliveries and broken records is rebuilt through the adapters' own apply code, and the diff
 * names every row that differs.
 */
@QuarkusMainTest
class RebuildAndDiffTest {

    private final PostgresServer postgres = PostgresServer.shared();

    /** A log of four people, with a redelivery and two records no adapter applies. */
    private record People(TestLog topics, AccountLogWriter.Account ada, AccountLogWriter.Account bob,
            AccountLogWriter.Account cleo, AccountLogWriter.Account dan, UUID revokedSession) {
    }

    @Test
    void aTrackRebuildAppliesTheLogThroughTheAdaptersApplyCode(QuarkusMainLauncher launcher) {
        People people = writeLog();
        String into = postgres.createDatabase();

        LaunchResult result = rebuild(launcher, people.topics(), "track", into);

        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        assertThat(result.getOutput()).contains(
                "rebuilt the track cache of 4 accounts: 9 events applied, 1 already applied, 2 rejected, 0 failed",
                "REJECTED", "unreadable", "the record key is not the event's account id");
        PGSimpleDataSource db = dataSource(into);
        assertThat(Sql.text(db, "SELECT fullname FROM users WHERE account_id = ?", people.ada().id()))
                .as("the redelivered older name does not come back").isEqualTo("Ada K.");
        assertThat(Sql.number(db, "SELECT count(*) FROM users WHERE account_id = ?", people.bob().id()))
                .as("Bob may not use Track").isZero();
        assertThat(Sql.text(db, "SELECT email FROM users WHERE account_id = ? AND NOT active AND fullname IS NULL",
                people.cleo().id())).isEqualTo("closed-" + people.cleo().id() + "@invalid");
        assertThat(Sql.number(db, "SELECT count(*) FROM users WHERE account_id = ?", people.dan().id())).isOne();
        assertThat(Sql.number(db, "SELECT count(*) FROM sync_revoked_sessions WHERE session_id = ?",
                people.revokedSession())).isOne();
        assertThat(Sql.number(db, "SELECT sequence FROM sync_accounts WHERE account_id = ?", people.ada().id()))
                .isEqualTo(3);
    }

    @Test
    void aPlanRebuildUsesPlansOwnRules(QuarkusMainLauncher launcher) {
        People people = writeLog();
        String into = postgres.createDatabase();

        LaunchResult result = rebuild(launcher, people.topics(), "plan", into);

        assertThat(result.exitCode()).as(result.getErrorOutput()).isZero();
        PGSimpleDataSource db = dataSource(into);
        assertThat(Sql.text(db, "SELECT first_name || '/' || last_name FROM members WHERE account_id = ?",
                people.bob().id())).isEqualTo("Bob/Babbage");
        assertThat(Sql.number(db, "SELECT count(*) FROM teams t JOIN members m ON m.id = t.owner_id "
                + "WHERE m.account_id = ? AND t.is_default", people.bob().id())).isOne();
        assertThat(Sql.text(db, "SELECT status FROM members WHERE account_id = ?", people.cleo().id()))
                .isEqualTo("deleted");
        assertThat(Sql.number(db, "SELECT count(*) FROM members WHERE account_id = ?", people.ada().id())).isZero();
    }

    @Test
    void aRebuildRefusesADatabaseThatIsNotEmpty(QuarkusMainLauncher launcher) {
        People people = writeLog();
        String into = postgres.createDatabase();
        PGSimpleDataSource db = dataSource(into);
        Sql.execute(db, "CREATE TABLE users (id int)");

        LaunchResult result = rebuild(launcher, people.topics(), "track", into);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput()).contains("is not empty");
        assertThat(Sql.number(db, "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"))
                .isOne();
    }

    @Test
    void twoRebuildsOfOneLogAreEqual(QuarkusMainLauncher launcher) {
        People people = writeLog();
        String live = postgres.createDatabase();
        String rebuilt = postgres.createDatabase();
        rebuild(launcher, people.topics(), "track", live);
        rebuild(launcher, people.topics(), "track", rebuilt);

        LaunchResult result = diff(launcher, "track", live, rebuilt);

        assertThat(result.exitCode()).as(result.getOutput()).isZero();
        assertThat(result.getOutput()).contains("equals the rebuilt one", "(0 differences)");
        assertThat(result.getErrorOutput()).contains("sync_accounts: 4 rows compared", "track: 3 rows compared");
    }

    @Test
    void theDiffNamesEveryMissingExtraAndDifferentRowFieldByField(QuarkusMainLauncher launcher) {
        People people = writeLog();
        String live = postgres.createDatabase();
        String rebuilt = postgres.createDatabase();
        rebuild(launcher, people.topics(), "plan", live);
        rebuild(launcher, people.topics(), "plan", rebuilt);
        PGSimpleDataSource db = dataSource(live);
        UUID stranger = Uuid7.next();
        Sql.execute(db, "UPDATE members SET first_name = 'Robert', locale = NULL WHERE account_id = ?",
                people.bob().id());
        Sql.execute(db, "DELETE FROM team_members WHERE member_id = (SELECT id FROM members WHERE account_id = ?)",
                people.dan().id());
        Sql.execute(db, "DELETE FROM teams WHERE owner_id = (SELECT id FROM members WHERE account_id = ?)",
                people.dan().id());
        Sql.execute(db, "DELETE FROM members WHERE account_id = ?", people.dan().id());
        Sql.execute(db, "INSERT INTO members (account_id, email) VALUES (?, 'stranger@example.com')", stranger);
        Sql.execute(db, "UPDATE sync_accounts SET sequence = sequence - 1 WHERE account_id = ?", people.ada().id());
        Sql.execute(db, "DELETE FROM sync_revoked_sessions");

        LaunchResult result = diff(launcher, "plan", live, rebuilt);

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getOutputStream()).contains(
                "DIFFERENT plan " + people.bob().id() + " first_name: live \"Robert\", rebuilt \"Bob\"",
                "DIFFERENT plan " + people.bob().id() + " locale: live null, rebuilt \"en-GB\"",
                "MISSING plan " + people.dan().id() + ": in the rebuilt cache, not in the live one",
                "EXTRA plan " + stranger + ": in the live cache, not in the rebuilt one",
                "DIFFERENT sync_accounts " + people.ada().id() + " sequence: live \"2\", rebuilt \"3\"",
                "MISSING sync_revoked_sessions " + people.revokedSession()
                        + ": in the rebuilt cache, not in the live one");
        assertThat(result.getOutput()).contains("differs from the rebuilt one", "(6 differences)");
    }

    private People writeLog() {
        TestLog topics = new TestLog();
        UUID session = UUID.randomUUID();
        AccountLogWriter.Account ada;
        AccountLogWriter.Account bob;
        AccountLogWriter.Account cleo;
        AccountLogWriter.Account dan;
        try (AccountLogWriter log = topics.log()) {
            ada = TestLog.newAccount(log, "Ada", List.of("track"), "track");
            log.send(ada.last());
            AccountEvent renamed = ada.next(s -> TestLog.rename(s, "Ada King"), s -> AccountUpdated.of(s,
                    List.of("name")));
            log.send(renamed);
            log.send(ada.next(s -> TestLog.rename(s, "Ada K."), s -> AccountUpdated.of(s, List.of("name"))));
            log.send(renamed);

            bob = TestLog.newAccount(log, "Bob Babbage", List.of("plan"), "plan");
            log.send(bob.last());

            cleo = TestLog.newAccount(log, "Cleo", List.of("track", "plan"), "track");
            log.send(cleo.last());
            log.send(cleo.next(s -> s.withStatus(AccountStatus.CLOSED), s -> AccountClosed.of(s,
                    AccountClosed.Reason.REQUESTED)));

            dan = TestLog.newAccount(log, "Dan", List.of("track"), "track");
            log.send(dan.last());
            log.send(dan.next(s -> s.withProducts(List.of("track", "plan")), s -> ProductAccessGranted.of(s,
                    "plan")));
            log.send(dan.next(s -> s, s -> SessionRevoked.of(s, List.of(session), SessionRevoked.Reason.LOGOUT)));

            log.sendRaw(ada.id().toString(), "not json".getBytes());
            log.sendRaw(bob.id().toString(), EventCodec.toBytes(ada.last()));
        }
        return new People(topics, ada, bob, cleo, dan, session);
    }

    private LaunchResult rebuild(QuarkusMainLauncher launcher, TestLog topics, String product, String database) {
        return launcher.launch(concat(new String[] {"rebuild", "--product", product, "--into", url(database)},
                topics.source()));
    }

    private LaunchResult diff(QuarkusMainLauncher launcher, String product, String live, String rebuilt) {
        return launcher.launch("diff", "--product", product, "--live", url(live), "--rebuilt", url(rebuilt));
    }

    private String url(String database) {
        return postgres.jdbcUrl(database) + "?user=" + postgres.username() + "&password=" + postgres.password();
    }

    private PGSimpleDataSource dataSource(String database) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url(database));
        return dataSource;
    }
}
