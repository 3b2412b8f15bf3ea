package dev.usersync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Collects the run's figures and writes them as {@code docs/performance.md}: the summary table, then the details. */
final class Report {

    private static final double PASSWORD_SHARE = 0.9;
    private static final double GC_SHARE = 0.05;
    private static final long MEMORY_LIMIT_MB = 256;
    private static final int STEADY_RATE = 200;

    private final Path root;
    private final String arguments;
    private HashBaseline.Result hash;
    private final List<String[]> passwordRows = new ArrayList<>();
    private final List<String[]> propagationRows = new ArrayList<>();
    private final List<PasswordStep.Result> warmPasswords = new ArrayList<>();
    private final List<PropagationStep.Result> warmPropagation = new ArrayList<>();
    private PropagationStep.Result coldPropagation;
    private RefreshStep.Result refresh;
    private Map<String, Long> refreshMemory = Map.of();
    private Map<String, Long> peaks = Map.of();
    private String last = "";

    Report(Path root, String arguments) {
        this.root = root;
        this.arguments = arguments;
    }

    void hashRate(HashBaseline.Result result) {
        this.hash = result;
    }

    String hashLine() {
        return String.format(Locale.ROOT, "%.1f hashes/s with every core hashing", hash.hashesPerSecond());
    }

    String lastLine() {
        return last;
    }

    void password(String phase, PasswordStep.Result r, Map<String, Long> memory) {
        if ("warm".equals(phase)) {
            warmPasswords.add(r);
        }
        last = String.format(Locale.ROOT, "%s %s: %.1f/s %s; GC %.1f%% of wall time; accounts %.2f cores, machine "
                + "%.2f; a hash %.1f ms on its thread (%.1f ms CPU); resident %s", phase, r.what(), r.perSecond(),
                r.statuses(), 100 * r.gcShare(), r.serviceCores(), r.machineCores(), r.hashWallMillis(),
                r.hashCpuMillis(), memory);
        passwordRows.add(new String[] {phase + " " + r.what(), f1(r.perSecond()), r.statuses().toString(),
                f1(100 * r.gcShare()) + "%", f2(r.serviceCores()), f2(r.machineCores()),
                f1(r.hashWallMillis()) + " / " + f1(r.hashCpuMillis()), mb(memory)});
    }

    void propagation(String phase, PropagationStep.Result r, Map<String, Long> memory) {
        if ("cold".equals(phase)) {
            coldPropagation = r;
        } else {
            warmPropagation.add(r);
        }
        String latency = r.latency().entrySet().stream().map(e -> shortName(e.getKey()) + " " + ms(e.getValue()[0])
                + " / " + ms(e.getValue()[1])).collect(Collectors.joining(", "));
        String cpu = r.cores().entrySet().stream().map(e -> shortName(e.getKey()) + " "
                + f1(1000 * e.getValue() / Math.max(r.achieved(), 1))).collect(Collectors.joining(", "));
        last = String.format(Locale.ROOT, "%s %d/s offered: %.1f/s answered %s, %d not sent; p50 / p99 %s; CPU ms per "
                + "change %s; machine %.2f cores; resident %s", phase, r.offered(), r.achieved(), r.statuses(),
                r.notSent(), latency, cpu, r.machineCores(), memory);
        propagationRows.add(new String[] {phase + " " + r.offered(), f1(r.achieved()), r.statuses().toString()
                + (r.notSent() > 0 ? ", " + r.notSent() + " not sent" : ""), latency, cpu, f2(r.machineCores()),
                mb(memory)});
    }

    void refresh(RefreshStep.Result r, Map<String, Long> memory) {
        this.refresh = r;
        this.refreshMemory = memory;
        last = String.format(Locale.ROOT, "refresh grants from %d apps: %.1f/s, %d refused; accounts %.2f ms CPU per "
                + "grant; machine %.2f cores; resident %s", r.chains(), r.perSecond(), r.refused(),
                r.accountsCpuMillis(), r.machineCores(), memory);
    }

    void memory(Map<String, Long> runPeaks) {
        this.peaks = runPeaks;
    }

    Path write() {
        StringBuilder doc = new StringBuilder();
        doc.append("# Performance\n\n");
        doc.append("Written by the benchmark harness (`benchmarks/run")
                .append(arguments.isEmpty() ? "" : " " + arguments)
                .append("`): the packaged mesh as `deploy/mesh` runs it (the same jars and JVM settings, PostgreSQL ")
                .append("and Kafka), driven from the harness's own JVM, every process on one machine. Memory is ")
                .append("sampled every second through the whole run, so each figure comes with what it cost. Why the ")
                .append("figures are what they are, and what to change next: ")
                .append("[performance-analysis.md](performance-analysis.md).\n\n");
        doc.append("- date: ").append(LocalDate.now()).append('\n');
        doc.append("- machine: ").append(Machine.describe()).append('\n');
        doc.append("- code: ").append(Machine.commit(root)).append("\n\n");

        doc.append("## Targets\n\n| figure | target | this run | baseline (same run) | met |\n|---|---|---|---|---|\n");
        double allowed = hash.hashesPerSecond();
        for (PasswordStep.Result r : warmPasswords) {
            row(doc, r.what() + "s per second (" + r.clients() + " clients)", "≥ 90% of " + f1(allowed),
                    f1(r.perSecond())
                    + " (" + pct(r.perSecond() / allowed) + ")", f1(allowed) + " hashes/s, every core hashing",
                    r.perSecond() >= PASSWORD_SHARE * allowed);
            row(doc, "GC share of wall time during " + r.what() + "s", "< 5%", f1(100 * r.gcShare()) + "%", "",
                    r.gcShare() < GC_SHARE);
        }
        PropagationStep.Result steady = warmPropagation.stream().filter(r -> r.offered() == STEADY_RATE).findFirst()
                .orElse(null);
        if (steady != null) {
            row(doc, "propagation p50 / p99 at " + STEADY_RATE + " changes/s offered (worse adapter)",
                    "≤ 25 / ≤ 100 ms", ms(steady.worstP50()) + " / " + ms(steady.worstP99()) + " (" + f1(steady
                            .achieved()) + "/s answered)", "", steady.keptUp(100) && steady.worstP50() <= 25);
        }
        if (coldPropagation != null) {
            row(doc, "the same right after start and the first sign-ups", "(as above)", ms(coldPropagation
                    .worstP50()) + " / " + ms(coldPropagation.worstP99()) + " (" + f1(coldPropagation.achieved())
                    + "/s answered)", "", coldPropagation.keptUp(100) && coldPropagation.worstP50() <= 25);
        }
        PropagationStep.Result crossing = warmPropagation.stream().filter(r -> !r.keptUp(1000)).findFirst()
                .orElse(null);
        int lastGood = warmPropagation.stream().filter(r -> r.keptUp(1000)).mapToInt(PropagationStep.Result::offered)
                .max().orElse(0);
        row(doc, "offered rate at which p99 crosses 1 s (or fewer than 90% are answered)", "≥ 2,000/s",
                crossing == null ? "above " + lastGood + "/s" : "between " + lastGood + " and " + crossing.offered()
                        + "/s", "", lastGood >= 2000);
        if (refresh != null) {
            row(doc, "refresh-token grants per second (" + refresh.chains() + " apps, closed loops)", "≥ 2,000/s",
                    f1(refresh.perSecond()) + (refresh.refused() > 0 ? ", " + refresh.refused() + " refused" : "")
                            + "; accounts " + f2(refresh.accountsCpuMillis()) + " ms CPU per grant, machine "
                            + f2(refresh.machineCores()) + " cores; resident " + mb(refreshMemory) + " MB", "",
                    refresh.perSecond() >= 2000 && refresh.refused() == 0);
        }
        for (Map.Entry<String, Long> peak : peaks.entrySet()) {
            row(doc, peak.getKey() + " resident memory, peak of the run", "≤ 256 MB", peak.getValue() + " MB", "",
                    peak.getValue() <= MEMORY_LIMIT_MB);
        }
        doc.append("\nNot measured by the harness yet (figures from the README's separate benchmarks, not this run): ")
                .append("adapters' authenticated / unauthenticated rate ")
                .append("(≥ 0.9), replay into an empty cache and auditor rebuild (≥ 50,000 events/s), auditor verify ")
                .append("(≥ 300,000 events/s).\n\n");

        doc.append("## Password hash alone\n\n```\n").append(String.join("\n", hash.lines())).append("\n```\n\n");
        doc.append("## Sign-ups and logins\n\nClosed loops of a few clients (in the table above). The cold ")
                .append("phase is the mesh's first load.\n\n")
                .append("| phase | per second | answers | GC | accounts cores | machine cores | one hash, wall / ")
                .append("CPU ms | peak resident MB |\n|---|---|---|---|---|---|---|---|\n");
        passwordRows.forEach(r -> doc.append('|').append(String.join(" | ", r)).append("|\n"));
        doc.append("\n## Propagation\n\nOpen loop at the offered rate (at most ").append(PropagationStep.IN_FLIGHT)
                .append(" requests in flight; beyond that a change is not sent): of every 20 changes one login, one ")
                .append("logout, the rest profile changes. p50 / p99 in ms from each adapter's ")
                .append("`adapter_propagation_seconds` histogram (commit in accounts to commit in the product), read ")
                .append("once the adapters caught up. CPU per change is the CPU time of each service, of the ")
                .append("harness's ")
                .append("JVM (the load generator and, as in `deploy/mesh`, the Kafka broker) and of the rest of the ")
                .append("machine (PostgreSQL), over the changes answered.\n\n")
                .append("| offered/s | answered/s | answers | p50 / p99 ms | CPU ms per change | ")
                .append("machine cores | peak resident MB |\n|---|---|---|---|---|---|---|\n");
        propagationRows.forEach(r -> doc.append('|').append(String.join(" | ", r)).append("|\n"));
        Path out = root.resolve("docs/performance.md");
        try {
            Files.writeString(out, doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void row(StringBuilder doc, String figure, String target, String measured, String baseline,
            boolean met) {
        doc.append("| ").append(figure).append(" | ").append(target).append(" | ").append(measured).append(" | ")
                .append(baseline).append(" | ").append(met ? "yes" : "**no**").append(" |\n");
    }

    private static String shortName(String service) {
        return service.replace("-adapter", "").replace("-service", "");
    }

    private static String mb(Map<String, Long> memory) {
        return memory.entrySet().stream().map(e -> shortName(e.getKey()) + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    private static String ms(double millis) {
        return Double.isNaN(millis) ? "-" : Double.isInfinite(millis) ? "> 30000" : f1(millis);
    }

    private static String pct(double share) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * share);
    }

    private static String f1(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String f2(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
