package dev.usersync.auditor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.usersync.events.AccountClosed;
import dev.usersync.events.AccountEvent;
import dev.usersync.events.AccountState;
import dev.usersync.events.AccountUpdated;
import dev.usersync.events.EventCodec;
import dev.usersync.events.EventSigner;
import dev.usersync.events.Uuid7;
import dev.usersync.testsupport.AccountLogWriter;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The auditor's verify and history commands against a real broker, on logs written intact or tampered with. */
@QuarkusMainTest
class AuditCommandTest {

    /** One account's three events, written to the log as the relay would, or bent first. */
    private record Chain(AccountLogWriter.Account account, AccountEvent first, AccountEvent second,
            AccountEvent third) {
    }

    /**
     * The products are those on the auditor's class path, found without a list here; their adapters' settings (the
     * shared ones and each product's application.properties) do not reach the auditor, which would otherwise warn
     * about every one of them on each run.
     */
    @Test
    void everyProductOnTheClassPathIsOfferedAndNoneOfTheirSettingsReachesTheAuditor(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("rebuild", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput().replaceAll("\\s+", " ")).contains("The product whose cache to rebuild: plan, track, work.");
        assertThat(result.getOutput() + result.getErrorOutput()).doesNotContain("Unrecognized configuration key");
    }

    @Test
    void anIntactLogAndItsStateTopicVerify(QuarkusMainLauncher launcher) {
        TestLog topics = new TestLog();
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
        TestLog topics = new TestLog();
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

    /** Whoever can write to Kafka can compute a hash; only the accounts service can sign one. */
    @Test
    void unsignedAndWronglySignedEventsAreFoundAndNamed(QuarkusMainLauncher launcher) {
        TestLog topics = new TestLog();
        Chain chain;
        try (AccountLogWriter log = topics.log()) {
            chain = chain(log);
            AccountEvent second = chain.second();
            AccountEvent resealed = new AccountEvent(second.eventId(), second.accountId(), second.sequence(),
                    second.occurredAt(), second.schemaVersion(), second.previousHash(), null, null, null,
                    AccountClosed.of(second.data().account(), AccountClosed.Reason.ADMINISTRATIVE)).seal();
            log.send(chain.first());
            log.send(resealed);
            log.send(EventSigner.generate(AccountLogWriter.SIGNER.kid()).sign(resealed));
            log.send(EventSigner.generate("mallory").sign(resealed));
        }

        assertFinds(verify(launcher, topics.withoutState()),
                "UNSIGNED at account " + chain.account().id() + " sequence 2",
                "BAD_SIGNATURE at account " + chain.account().id() + " sequence 2",
                "UNKNOWN_KEY at account " + chain.account().id() + " sequence 2");
    }

    @Test
    void withoutTheEventKeysVerifyCannotRunAndSaysWhy(QuarkusMainLauncher launcher) {
        TestLog topics = new TestLog().withoutState();

        LaunchResult result = launcher.launch("verify", "--bootstrap-servers", topics.bootstrap, "--topic",
                topics.log);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput()).contains("--event-keys");
    }

    @Test
    void aRemovedEventIsFoundAndNamed(QuarkusMainLauncher launcher) {
        TestLog topics = new TestLog();
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
        TestLog topics = new TestLog();
        Chain chain;
        try (AccountLogWriter log = topics.log()) {
            chain = chain(log);
            AccountEvent second = chain.second();
            AccountState other = TestLog.rename(second.data().account(), "Mallory");
            AccountEvent impostor = AccountLogWriter.SIGNER.sign(new AccountEvent(Uuid7.next(), second.accountId(),
                    second.sequence(), second.occurredAt(), second.schemaVersion(), second.previousHash(), null, null,
                    null, AccountUpdated.of(other, List.of("name"))).seal());
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
        TestLog topics = new TestLog();
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
    void fromATimeEachChainStartsAtItsFirstEventSeenAndLaterBreaksAreFound(QuarkusMainLauncher launcher) {
        TestLog topics = new TestLog().withoutState();
        Chain chain;
        Instant from;
        try (AccountLogWriter log = topics.log()) {
            chain = chain(log);
            log.send(chain.first());
            from = Instant.now().plusMillis(1);
            await().until(() -> Instant.now().isAfter(from));
            log.send(chain.second());
            ObjectNode tampered = EventCodec.toTree(chain.third());
            ((ObjectNode) tampered.at("/data/account")).put("name", "Someone Else");
            log.sendRaw(chain.account().id().toString(), tampered.toString().getBytes());
        }

        LaunchResult result = launcher.launch(concat(new String[] {"verify", "--from", from.toString(),
            "--state-topic", "-"}, topics.source()));

        assertFinds(result, "CONTENT_CHANGED at account " + chain.account().id() + " sequence 3");
        assertThat(result.getOutput()).doesNotContain("SEQUENCE_GAP", "BROKEN_LINK")
                .contains("2 events of 1 accounts, 0 exact redeliveries, 1 findings");
    }

    @Test
    void aStateTopicWithAnAccountTheLogLacksIsFoundAndNamed(QuarkusMainLauncher launcher) {
        TestLog topics = new TestLog();
        Chain chain;
        Chain stray;
        try (AccountLogWriter log = topics.log(); AccountLogWriter state = topics.state()) {
            chain = chain(log);
            stray = chain(log);
            log.send(chain.first());
            state.send(chain.first());
            state.send(stray.first());
        }

        assertFinds(verify(launcher, topics), "STATE_UNKNOWN at account " + stray.account().id());
    }

    @Test
    void aLogThatDoesNotExistIsAnErrorNotAnEmptySuccess(QuarkusMainLauncher launcher) {
        TestLog topics = new TestLog().withoutState();

        LaunchResult result = verify(launcher, topics);

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.getErrorOutput()).contains("audit verify: there is no topic " + topics.log);
    }

    @Test
    void aStateTopicBehindTheLogIsFoundAndNamed(QuarkusMainLauncher launcher) {
        TestLog topics = new TestLog();
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
        TestLog topics = new TestLog();
        Chain chain;
        try (AccountLogWriter log = topics.log()) {
            Chain other = chain(log);
            chain = chain(log);
            log.send(chain.first());
            log.send(other.first());
            log.send(chain.second());
            log.send(chain.third());
        }

        LaunchResult result = launcher.launch(concat(new String[] {"history", chain.account().id().toString(),
            "--format", "csv"}, topics.source()));

        assertThat(result.exitCode()).isZero();
        List<String> lines = result.getOutputStream();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(1)).startsWith("1,").contains("AccountCreated")
                .contains(chain.first().eventId().toString());
        assertThat(lines.get(2)).startsWith("2,").contains("AccountUpdated");
        assertThat(lines.get(3)).startsWith("3,").contains(chain.third().hash());
        assertThat(result.getErrorOutput()).contains("3 events of account " + chain.account().id() + "; chain intact");
    }

    @Test
    void historyOfAnAccountTheLogDoesNotHoldSaysSo(QuarkusMainLauncher launcher) {
        TestLog topics = new TestLog();
        try (AccountLogWriter log = topics.log()) {
            log.send(chain(log).first());
        }
        String stranger = UUID.randomUUID().toString();

        LaunchResult result = launcher.launch(concat(new String[] {"history", stranger}, topics.source()));

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getOutput()).isEmpty();
        assertThat(result.getErrorOutput()).contains("the log has no event of account " + stranger);
    }

    /** Verify failed and named every expected finding. */
    private static void assertFinds(LaunchResult result, String... findings) {
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.getOutput()).contains(findings);
    }

    private LaunchResult verify(QuarkusMainLauncher launcher, TestLog topics) {
        return launcher.launch(concat(new String[] {"verify", "--state-topic", topics.state}, topics.source()));
    }

    static String[] concat(String[] command, String[] options) {
        return Stream.concat(Stream.of(command), Stream.of(options)).toArray(String[]::new);
    }

    private static Chain chain(AccountLogWriter log) {
        AccountLogWriter.Account account = TestLog.newAccount(log, "Ada", List.of("track"), "track");
        AccountEvent first = account.last();
        AccountEvent second = account.next(s -> TestLog.rename(s, "Ada King"),
                s -> AccountUpdated.of(s, List.of("name")));
        AccountEvent third = account.next(s -> TestLog.rename(s, "Ada K."), s -> AccountUpdated.of(s, List.of("name")));
        return new Chain(account, first, second, third);
    }

}
