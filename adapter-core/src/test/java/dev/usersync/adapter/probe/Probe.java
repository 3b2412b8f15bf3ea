package dev.usersync.adapter.probe;

import static org.awaitility.Awaitility.await;

import dev.usersync.events.Topics;
import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.Sql;
import dev.usersync.testsupport.TestIssuer;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.RecordMetadata;

/** What adapter-core's tests share: fresh people, their tokens, and waiting for the adapter to apply them. */
public final class Probe {

    private Probe() {
    }

    /** A fresh address, so that tests sharing the application and the log never meet each other's people. */
    public static String email(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    }

    /** Waits until the adapter has applied the account's events up to {@code sequence}. */
    public static void awaitSequence(DataSource dataSource, UUID account, long sequence) {
        await().atMost(Duration.ofSeconds(30)).until(() -> Sql.number(dataSource,
                "SELECT coalesce(max(sequence), 0) FROM sync_accounts WHERE account_id = ?", account) >= sequence);
    }

    public static void awaitSequence(DataSource dataSource, AccountLogWriter.Account account, long sequence) {
        awaitSequence(dataSource, account.id(), sequence);
    }

    /** A person who signed up from the probe product, their AccountCreated applied by the adapter. */
    public static AccountLogWriter.Account signedUp(String bootstrapServers, String name) {
        try (AccountLogWriter log = new AccountLogWriter(bootstrapServers, Topics.ACCOUNT_LOG)) {
            AccountLogWriter.Account account = log.newAccount(email("probe"), name, List.of(ProbeProjection.PRODUCT),
                    ProbeProjection.PRODUCT, null);
            RecordMetadata sent = log.send(account.last());
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> log.consumedPast(Topics.consumerGroup(ProbeProjection.PRODUCT), sent));
            return account;
        }
    }

    /** A five-minute browser-session token of a new session of {@code account}, for the probe product. */
    public static String token(AccountLogWriter.Account account) {
        return TestIssuer.shared().token(account.id(), UUID.randomUUID(), List.of(ProbeProjection.PRODUCT),
                Duration.ofMinutes(5));
    }
}
