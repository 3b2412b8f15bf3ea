package dev.usersync.auditor;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The auditor's tools over the account log. */
@TopCommand
@Command(name = "audit", mixinStandardHelpOptions = true, subcommands = {VerifyCommand.class, HistoryCommand.class,
        RebuildCommand.class, DiffCommand.class},
        description = "Checks the account log (every account's sequence and hash chain, the state topic), exports one "
                + "account's history, rebuilds a product's cache from the log and compares it with the live one.")
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
