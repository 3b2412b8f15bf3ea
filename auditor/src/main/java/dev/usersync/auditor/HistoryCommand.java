package dev.usersync.auditor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.usersync.events.ChainBreak;
import dev.usersync.events.ChainVerifier;
import dev.usersync.events.EventCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Every event of one account, in order, as JSON lines or CSV, with the check of that account's chain. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Print one account's events in order and check its chain and signatures.")
public class HistoryCommand implements Callable<Integer> {

    @Mixin
    AuditCommand.Source source;

    @Parameters(index = "0", description = "The account id.")
    UUID accountId;

    /** How the events are printed; the names are what the option takes. */
    enum Format {
        jsonl,
        csv
    }

    @Option(names = "--format", defaultValue = "jsonl", description = "${COMPLETION-CANDIDATES} (default: "
            + "${DEFAULT-VALUE}).")
    Format format;

    /** Prints the events; exits 1 when the chain is broken or the log has no event of the account. */
    @Override
    public Integer call() {
        byte[] key = accountId.toString().getBytes(StandardCharsets.UTF_8);
        List<JsonNode> events = new ArrayList<>();
        LogScan.scan(source.kafka(), source.topic, null, System.err, record -> {
            if (Arrays.equals(key, record.key())) {
                events.add(EventCodec.parse(record.value()));
            }
        });
        if (events.isEmpty()) {
            System.err.println("the log has no event of account " + accountId);
            return 1;
        }
        if (format == Format.csv) {
            System.out.println("sequence,occurredAt,type,eventId,hash,previousHash");
            events.forEach(e -> System.out.printf("%d,%s,%s,%s,%s,%s%n", e.path("sequence").asLong(),
                    e.path("occurredAt").asText(), e.path("type").asText(), e.path("eventId").asText(),
                    e.path("hash").asText(), e.path("previousHash").asText("")));
        } else {
            events.forEach(e -> System.out.println(e.toString()));
        }
        ChainVerifier verifier = new ChainVerifier().checkingSignatures(source.keys());
        List<ChainBreak> breaks = new ArrayList<>();
        events.forEach(e -> breaks.addAll(verifier.check(e)));
        breaks.forEach(b -> System.err.println(b));
        System.err.printf("%d events of account %s; chain %s%n", events.size(), accountId,
                breaks.isEmpty() ? "intact" : "broken (" + breaks.size() + " findings)");
        return breaks.isEmpty() ? 0 : 1;
    }
}
