package dev.usersync.adapter.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** An unavailable database must never dead-letter an event; a broken event must not stop consumption forever. */
class FailuresTest {

    @Test
    void connectionShutdownResourceAndRollbackFailuresAreTransient() {
        for (String state : new String[] {"08006", "08001", "57P01", "53300", "40001", "40P01"}) {
            assertThat(Failures.transientFailure(wrapped(new SQLException("boom", state)))).as(state).isTrue();
        }
        assertThat(Failures.transientFailure(wrapped(new SQLTransientConnectionException("pool exhausted")))).isTrue();
    }

    @Test
    void deadlocksConflictsAndAFullLockTableAreContentionThatASmallerBatchAvoids() {
        for (String state : new String[] {"40P01", "40001", "53200"}) {
            assertThat(Failures.contention(wrapped(new SQLException("boom", state)))).as(state).isTrue();
        }
        for (String state : new String[] {"08006", "57P01", "53300", "23505"}) {
            assertThat(Failures.contention(wrapped(new SQLException("boom", state)))).as(state).isFalse();
        }
    }

    @Test
    void failuresOfTheEventItselfAreNot() {
        for (String state : new String[] {"23505", "23502", "22001", "42703"}) {
            assertThat(Failures.transientFailure(wrapped(new SQLException("bad row", state)))).as(state).isFalse();
        }
        assertThat(Failures.transientFailure(new IllegalArgumentException("unexpected state"))).isFalse();
    }

    private static RuntimeException wrapped(Exception cause) {
        return new RuntimeException("transaction failed", new IllegalStateException("apply", cause));
    }
}
