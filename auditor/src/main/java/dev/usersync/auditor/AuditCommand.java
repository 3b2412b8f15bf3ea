package dev.usersync.auditor;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The auditor's tools over the account log. */
@TopCommand
@Command(name = "audit", mixinStandardHelpOptions = true, subcommands = {VerifyCommand.class, HistoryCommand.class},
        description = "Checks the account log: every account's sequence and hash chain, the state topic, one "
                + "account's history.")
public class AuditCommand {

    /** Where the log is, shared by every subcommand. */
    static class Source {
        @Option(names = "--bootstrap-servers", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
                description = "Kafka bootstrap servers (default: $KAFKA_BOOTSTRAP_SERVERS or ${DEFAULT-VALUE}).")
        String bootstrapServers;

        @Option(names = "--topic", defaultValue = "accounts.events", description = "The account log (default: "
                + "${DEFAULT-VALUE}).")
        String topic;
    }
}
