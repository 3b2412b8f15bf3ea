package dev.usersync.auditor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersync.events.ChainBreak;
import dev.usersync.events.ChainVerifier;
import dev.usersync.events.EventCodec;
import dev.usersync.events.EventFormatException;
import dev.usersync.events.Topics;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Reads the whole log (or the part from a time on) and checks every account: sequences from 1 without gaps, no two
 * different events with one number, events in order, every hash matching its content and linking to the one before,
 * every event signed by a published event key of the accounts service (unsigned ones are findings too).
 * Then checks that the compacted state topic holds each account's last event and no account the log lacks. Exits 1 on
 * any finding.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify every account's sequence, hash chain and signatures, and the state topic against the "
                + "log.")
public class VerifyCommand implements Callable<Integer> {

    @Mixin
    AuditCommand.Source source;

    @Option(names = "--state-topic", defaultValue = Topics.ACCOUNT_STATE,
            description = "The compacted state topic (default: ${DEFAULT-VALUE}); '-' skips its check.")
    String stateTopic;

    @Option(names = "--from", converter = Times.class, paramLabel = "<time>",
            description = "Start at the first event at or after this time (2026-11-01 or 2026-11-01T12:00:00Z), "
                    + "each account's chain from its first event seen; default: the beginning of the log.")
    Instant from;

    /** The last event of an account as one topic holds it. */
    private record Head(long sequence, String hash) {
    }

    @Override
    public Integer call() {
        ChainVerifier verifier = (from == null ? new ChainVerifier() : ChainVerifier.fromMidLog())
                .checkingSignatures(source.keys());
        List<String> findings = new ArrayList<>();
        Map<String, Head> logHeads = new HashMap<>();
        System.err.println("verifying " + source.topic + " at " + source.bootstrapServers
                + (from == null ? "" : " from " + from));
        LogScan.scan(source.kafka(), source.topic, from, System.err, record -> {
            JsonNode event;
            try {
                event = EventCodec.parse(record.value() == null ? new byte[0] : record.value());
            } catch (EventFormatException e) {
                findings.add("UNREADABLE at " + record.topic() + "/" + record.partition() + "@" + record.offset() + ": "
                        + e.getMessage());
                return;
            }
            for (ChainBreak found : verifier.check(event)) {
                findings.add(found.toString());
            }
            String account = event.path("accountId").asText();
            long sequence = event.path("sequence").asLong();
            Head head = logHeads.get(account);
            if (head == null || sequence > head.sequence()) {
                logHeads.put(account, new Head(sequence, event.path("hash").asText()));
            }
        });
        if (!"-".equals(stateTopic)) {
            Map<String, Head> stateHeads = new HashMap<>();
            LogScan.scan(source.kafka(), stateTopic, null, System.err, record -> {
                JsonNode event = EventCodec.parse(record.value());
                stateHeads.put(event.path("accountId").asText(),
                        new Head(event.path("sequence").asLong(), event.path("hash").asText()));
            });
            logHeads.forEach((account, head) -> {
                Head state = stateHeads.get(account);
                if (state == null) {
                    findings.add("STATE_MISSING at account " + account + ": the state topic has no event of it");
                } else if (!state.equals(head)) {
                    findings.add("STATE_DIFFERS at account " + account + ": the state topic holds sequence "
                            + state.sequence() + ", the log ends at sequence " + head.sequence());
                }
            });
            if (from == null) {
                stateHeads.keySet().stream().filter(account -> !logHeads.containsKey(account)).sorted()
                        .forEach(account -> findings.add("STATE_UNKNOWN at account " + account
                                + ": the state topic holds an account the log has no event of"));
            }
        }
        findings.forEach(System.out::println);
        System.out.printf("%,d events of %,d accounts, %,d exact redeliveries, %d findings%n", verifier.events(),
                verifier.accounts(), verifier.redeliveries(), findings.size());
        if (verifier.beforeWindow() > 0) {
            System.out.printf("%,d events older than their account's first event after %s were not checked%n",
                    verifier.beforeWindow(), from);
        }
        return findings.isEmpty() ? 0 : 1;
    }
}
