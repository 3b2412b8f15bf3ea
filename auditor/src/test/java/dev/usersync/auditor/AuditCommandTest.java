package dev.usersync.auditor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.AccountState;
import dev.usersync.events.AccountUpdated;
import dev.usersync.events.EventCodec;
import dev.usersync.events.Uuid7;
import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.KafkaServer;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The auditor's verify and history commands against a real broker, on logs written intact or tampered with. */
@QuarkusMainTest
class AuditCommandTest {

    private final String bootstrap = KafkaServer.shared().bootstrapServers();

    /** One account's three events, written to the log as the relay would, or bent first. */
    private record Chain(AccountLogWriter.Account account, AccountEvent first, AccountEvent second,
            AccountEvent third) {
    }

    @Test
    void anIntactLogAndItsStateTopicVerify(QuarkusMainLauncher launcher) {
        Topics topics = new Topics();
        try (AccountLogWriter log = topics.log(); AccountLogWriter state = topics.state()) {
            for (int i = 0; i < 3; i++) {
                Chain chain = chain(log);
                log.send(chain.first());
                log.send(chain.second());
                log.send(chain.third());
                log.send(chain.second());
                state.send(chain.third());
            }
        }

        LaunchResult result = verify(launcher, topics);

        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("12 events of 3 accounts, 3 exact redeliveries, 0 findings");
    }

    @Test
    void aChangedPayloadIsFoundAndNamed(QuarkusMainLauncher launcher) {
        Topics topics = new Topics();
        Chain chain;
        try (AccountLogWriter log = topics.log()) {
            chain = chain(log);
            log.send(chain.first());
            ObjectNode tampered = EventCodec.toTree(chain.second());
            ((ObjectNode) tampered.at("/data/account")).put("name", "Someone Else");
            log.sendRaw(chain.account().id().toString(), tampered.toString().getBytes());
            log.send(chain.third());
        }

        assertFinds(verify(launcher, topics.withoutState()),
                "CONTENT_CHANGED at account " + chain.account().id() + " sequence 2");
    }

    @Test
    void aRemovedEventIsFoundAndNamed(QuarkusMainLauncher launcher) {
        Topics topics = new Topics();
        Chain chain;
        try (AccountLogWriter log = topics.log()) {
            chain = chain(log);
            log.send(chain.first());
            log.send(chain.third());
        }

        assertFinds(verify(launcher, topics.withoutState()),
                "SEQUENCE_GAP at account " + chain.account().id() + " sequence 3");
    }

    @Test
    void aDuplicatedSequenceIsFoundAndNamed(QuarkusMainLauncher launcher) {
        Topics topics = new Topics();
        Chain chain;
        try (AccountLogWriter log = topics.log()) {
            chain = chain(log);
            AccountEvent second = chain.second();
            AccountState other = rename(second.data().account(), "Mallory");
            AccountEvent impostor = new AccountEvent(Uuid7.next(), second.accountId(), second.sequence(),
                    second.occurredAt(), second.schemaVersion(), second.previousHash(), null, null,
                    AccountUpdated.of(other, List.of("name"))).seal();
            log.send(chain.first());
            log.send(second);
            log.send(impostor);
        }

        assertFinds(verify(launcher, topics.withoutState()),
                "DUPLICATE_SEQUENCE at account " + chain.account().id()
                + " sequence 2");
    }

    @Test
    void twoSwappedEventsAreFoundAndNamed(QuarkusMainLauncher launcher) {
        Topics topics = new Topics();
        Chain chain;
        try (AccountLogWriter log = topics.log()) {
            chain = chain(log);
            log.send(chain.first());
            log.send(chain.third());
            log.send(chain.second());
        }

        assertFinds(verify(launcher, topics.withoutState()),
                "SEQUENCE_GAP at account " + chain.account().id() + " sequence 3",
                "OUT_OF_ORDER at account " + chain.account().id() + " sequence 2");
    }

    @Test
    void aStateTopicBehindTheLogIsFoundAndNamed(QuarkusMainLauncher launcher) {
        Topics topics = new Topics();
        Chain chain;
        try (AccountLogWriter log = topics.log(); AccountLogWriter state = topics.state()) {
            chain = chain(log);
            log.send(chain.first());
            log.send(chain.second());
            log.send(chain.third());
            state.send(chain.second());
        }

        assertFinds(verify(launcher, topics),
                "STATE_DIFFERS at account " + chain.account().id()
                + ": the state topic holds sequence 2, the log ends at sequence 3");
    }

    @Test
    void historyPrintsEveryEventOfOneAccountInOrder(QuarkusMainLauncher launcher) {
        Topics topics = new Topics();
        Chain chain;
        try (AccountLogWriter log = topics.log()) {
            Chain other = chain(log);
            chain = chain(log);
            log.send(chain.first());
            log.send(other.first());
            log.send(chain.second());
            log.send(chain.third());
        }

        LaunchResult result = launcher.launch("history", chain.account().id().toString(), "--bootstrap-servers",
                bootstrap, "--topic", topics.log, "--format", "csv");

        assertThat(result.exitCode()).isZero();
        List<String> lines = result.getOutputStream();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).startsWith("1,").contains("AccountCreated").contains(chain.first().eventId().toString());
        assertThat(lines.get(2)).startsWith("2,").contains("AccountUpdated");
        assertThat(lines.get(3)).startsWith("3,").contains(chain.third().hash());
        assertThat(result.getErrorOutput()).contains("3 events of account " + chain.account().id() + "; chain intact");
    }

    /** Verify failed and named every expected finding. */
    private static void assertFinds(LaunchResult result, String... findings) {
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getOutput()).contains(findings);
    }

    private LaunchResult verify(QuarkusMainLauncher launcher, Topics topics) {
        return launcher.launch("verify", "--bootstrap-servers", bootstrap, "--topic", topics.log, "--state-topic",
                topics.stateTopic);
    }

    private static Chain chain(AccountLogWriter log) {
        AccountLogWriter.Account account = log.newAccount("audit-" + UUID.randomUUID() + "@example.com", "Ada",
                List.of("track"), "track", null);
        AccountEvent first = account.last();
        AccountEvent second = account.next(s -> rename(s, "Ada King"), s -> AccountUpdated.of(s, List.of("name")));
        AccountEvent third = account.next(s -> rename(s, "Ada K."), s -> AccountUpdated.of(s, List.of("name")));
        return new Chain(account, first, second, third);
    }

    private static AccountState rename(AccountState s, String name) {
        return new AccountState(s.id(), s.email(), s.emailVerified(), name, s.locale(), s.timeZone(), s.products(),
                s.status(), s.legacyIds(), s.identities());
    }

    /** Fresh topics for one test. */
    private final class Topics {
        final String suffix = UUID.randomUUID().toString().substring(0, 8);
        final String log = "audit.events." + suffix;
        String stateTopic = "audit.state." + suffix;

        AccountLogWriter log() {
            return new AccountLogWriter(bootstrap, log);
        }

        AccountLogWriter state() {
            return new AccountLogWriter(bootstrap, stateTopic);
        }

        Topics withoutState() {
            stateTopic = "-";
            return this;
        }
    }
}
