package dev.usersync.auditor;

import dev.usersync.events.AccountState;
import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.KafkaServer;
import dev.usersync.testsupport.TestIssuer;
import java.util.List;
import java.util.UUID;

/** Fresh log and state topics on the shared broker for one test, and the accounts written to them. */
final class TestLog {

    final String bootstrap = KafkaServer.shared().bootstrapServers();
    private final String suffix = UUID.randomUUID().toString().substring(0, 8);
    final String log = "audit.events." + suffix;
    String state = "audit.state." + suffix;

    AccountLogWriter log() {
        return new AccountLogWriter(bootstrap, log);
    }

    AccountLogWriter state() {
        return new AccountLogWriter(bootstrap, state);
    }

    /** Skips the state topic's check. */
    TestLog withoutState() {
        state = "-";
        return this;
    }

    /** The options every command that reads the log takes, for this log and the tests' event key. */
    String[] source() {
        return new String[] {"--bootstrap-servers", bootstrap, "--topic", log, "--event-keys",
            TestIssuer.shared().url() + "/.well-known/event-keys.json"};
    }

    static AccountLogWriter.Account newAccount(AccountLogWriter log, String name, List<String> products,
            String signedUpFrom) {
        return log.newAccount(name.toLowerCase().replace(' ', '.') + "-" + UUID.randomUUID() + "@example.com", name,
                products, signedUpFrom, null);
    }

    static AccountState rename(AccountState s, String name) {
        return s.withName(name);
    }
}
