package dev.usersync.adapter.consumer;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

/**
 * Tells a failure of the infrastructure (the database is down, restarting, out of connections, a deadlock or
 * serialisation conflict) from a failure of the event itself. The first must never dead-letter a good event: the
 * consumer stops the batch and starts over from its committed offsets when the database answers again.
 */
final class Failures {

    /** SQLSTATE classes: connection exception, insufficient resources, operator intervention, transaction rollback. */
    private static final Set<String> TRANSIENT_CLASSES = Set.of("08", "53", "57", "40");
    private static final Set<String> CONTENTION = Set.of("40P01", "40001", "53200");

    private Failures() {
    }

    /**
     * A failure of a transaction that met another one, or took more locks than the server holds: deadlock,
     * serialisation conflict, out of shared memory (the lock table). Transient, and a smaller batch avoids it.
     */
    static boolean contention(Throwable failure) {
        for (Throwable cause = failure; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && CONTENTION.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    static boolean transientFailure(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientException || cause instanceof SQLRecoverableException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().length() >= 2
                    && TRANSIENT_CLASSES.contains(sql.getSQLState().substring(0, 2))) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }
}
