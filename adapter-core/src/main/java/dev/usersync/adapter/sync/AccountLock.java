package dev.usersync.adapter.sync;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.UUID;

/**
 * The one serialisation every writer of an account's local rows goes through: a transaction-scoped PostgreSQL
 * advisory lock keyed by the account id. It works before any row of the account exists (a row lock could not), and
 * it is released when the transaction ends, committed or not.
 */
public final class AccountLock {

    private AccountLock() {
    }

    /** Blocks until this transaction holds the account's lock. */
    public static void lock(Connection connection, UUID accountId) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            lock.setLong(1, key(accountId));
            lock.execute();
        }
    }

    /**
     * Blocks until this transaction holds the locks of all these accounts, taken one after the other in the order of
     * their keys (migration V0_4): any two transactions that take several take them in the same order, so they never
     * wait for each other in a cycle.
     */
    public static void lockAll(Connection connection, Collection<UUID> accountIds) throws SQLException {
        Long[] keys = accountIds.stream().map(AccountLock::key).distinct().sorted().toArray(Long[]::new);
        try (PreparedStatement lock = connection.prepareStatement("SELECT adapter_lock_accounts(?)")) {
            lock.setArray(1, connection.createArrayOf("bigint", keys));
            lock.execute();
        }
    }

    /** 64 bits of the id; two accounts sharing a key only wait for each other, never mix up. */
    static long key(UUID accountId) {
        return accountId.getMostSignificantBits() ^ accountId.getLeastSignificantBits();
    }
}
