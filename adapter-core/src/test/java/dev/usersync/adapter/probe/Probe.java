package dev.usersync.adapter.probe;

import static org.awaitility.Awaitility.await;

import dev.usersync.testsupport.AccountLogWriter;
import dev.usersync.testsupport.Sql;
import java.time.Duration;
import java.util.UUID;
import javax.sql.DataSource;

/** What adapter-core's tests share: fresh people, and waiting for the adapter to apply them. */
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
}
