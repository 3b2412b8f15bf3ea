package dev.usersync.auditor;

import io.quarkus.picocli.runtime.PicocliCommandLineFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import picocli.CommandLine;

/**
 * How the auditor reports a command that could not run (Kafka or a database unreachable, a database gone mid-way):
 * one line naming the command and the cause, exit code 2, rather than a stack trace. Exit 1 stays for findings.
 */
@ApplicationScoped
class CommandLineConfig {

    /** Exit code of a command that could not run to the end. */
    static final int COULD_NOT_RUN = 2;

    @Produces
    CommandLine commandLine(PicocliCommandLineFactory factory) {
        return factory.create().setExecutionExceptionHandler((exception, command, parsed) -> {
            StringBuilder line = new StringBuilder("audit ").append(command.getCommandName()).append(": ")
                    .append(exception.getMessage());
            for (Throwable cause = exception.getCause(); cause != null; cause = cause.getCause()) {
                line.append("; ").append(cause.getMessage());
            }
            command.getErr().println(line);
            return COULD_NOT_RUN;
        });
    }
}
