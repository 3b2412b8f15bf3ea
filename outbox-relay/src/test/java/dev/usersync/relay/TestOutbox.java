package dev.usersync.relay;

import dev.usersync.events.AccountEvent;
import dev.usersync.events.AccountUpdated;
import dev.usersync.events.EventCodec;
import dev.usersync.testsupport.AccountLogWriter;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Writes signed, chained events to the outbox as the accounts service does (one row per event, committed on its own),
 * so the relay's tests need no accounts service.
 */
final class TestOutbox {

    private final DataSource dataSource;

    TestOutbox(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** A new account: its AccountCreated written. */
    AccountLogWriter.Account newAccount(String prefix) {
        AccountLogWriter.Account account = AccountLogWriter.account(prefix + "-" + UUID.randomUUID() + "@example.com",
                "Ada", List.of("track"), "track", null);
        write(account.last());
        return account;
    }

    /** The account's next event, a change of name, written. */
    AccountEvent rename(AccountLogWriter.Account account, String name) {
        AccountEvent event = account.next(s -> s.withName(name), s -> AccountUpdated.of(s, List.of("name")));
        write(event);
        return event;
    }

    void write(AccountEvent event) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO outbox (id, aggregatetype, aggregateid, type, payload, sequence)
                VALUES (?, 'account', ?, ?, ?, ?)""")) {
            insert.setObject(1, event.eventId());
            insert.setObject(2, event.accountId());
            insert.setString(3, event.type().wireName());
            insert.setString(4, new String(EventCodec.toBytes(event), StandardCharsets.UTF_8));
            insert.setLong(5, event.sequence());
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
