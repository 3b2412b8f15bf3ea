package dev.usersync.testsupport;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the embedded servers' own INFO chatter (thousands of lines per run) out of test output; their warnings and
 * errors still show. Loggers are held so the levels are not lost to garbage collection.
 */
final class QuietServers {

    private static final List<Logger> QUIETED = List.of(
            Logger.getLogger("kafka"),
            Logger.getLogger("org.apache.kafka"),
            Logger.getLogger("state.change.logger"),
            Logger.getLogger("io.smallrye.reactive.messaging.kafka.companion"),
            Logger.getLogger("io.zonky.test.db.postgres"));

    private QuietServers() {
    }

    static void apply() {
        QUIETED.forEach(logger -> logger.setLevel(Level.WARNING));
    }
}
