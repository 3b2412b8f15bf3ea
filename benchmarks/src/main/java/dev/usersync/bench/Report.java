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
    private Map<String, List<double[]>> memoryOverTime = Map.of();
    private LogStep.Log log;
    private LogStep.Result logResult;
    private final List<AdapterStep.Result> adapters = new ArrayList<>();
    private String adaptersMissing;
    private String last = "";

    Report(Path root, String arguments) {
        this.root = root;
        this.arguments = arguments;
    }

    /** The hash rate alone, measured before and after the mesh steps: the better of the two is the baseline. */
    void hashRate(HashBaseline.Result result) {
        if (hash == null || result.hashesPerSecond() > hash.hashesPerSecond()) {
            this.hash = result;
        }
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

    void log(LogStep.Log written, LogStep.Result r) {
        this.log = written;
        this.logResult = r;
        last = String.format(Locale.ROOT, "log of %,d events (%,d accounts) written at %,.0f/s; raw consumption "
                + "%,.0f/s, batched upsert %,.0f rows/s, auditor verify %,.0f/s, rebuild %s", written.events(),
                written.accounts(), written.writtenPerSecond(), r.rawPerSecond(), r.upsertPerSecond(),
                r.verifyPerSecond(), r.rebuildPerSecond().entrySet().stream().map(e -> e.getKey() + " "
                        + String.format(Locale.ROOT, "%,.0f/s", e.getValue())).collect(Collectors.joining(", ")));
    }

    void adapter(AdapterStep.Result r) {
        adapters.add(r);
        last = String.format(Locale.ROOT, "%s: replay %,.0f events/s (%.0f ms CPU per 1,000); /me %,.0f/s with a "
                + "token, %,.0f/s without (%.2f); %d calls to the issuer; resident peak %d MB", r.product(),
                r.replayPerSecond(), r.replayCpuMillisPerThousand(), r.authenticatedPerSecond(),
                r.unauthenticatedPerSecond(), r.ratio(), r.callsToAccounts(), r.peakResidentMb());
    }

    /** Why the adapter step did not run (no wrk, no benchmark build). */
    void adaptersMissing(String why) {
        this.adaptersMissing = why;
        last = "adapters not measured: " + why;
    }

    void memory(Map<String, Long> runPeaks, Map<String, List<double[]>> overTime) {
        this.peaks = runPeaks;
        this.memoryOverTime = overTime;
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

        doc.append("![propagation p50 and p99 against the offered rate](performance-propagation.svg)\n")
                .append("![resident memory of each service over the run](performance-memory.svg)\n\n");
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
        for (AdapterStep.Result a : adapters) {
            row(doc, a.product() + "-adapter resident memory, peak of its replay and requests", "≤ 256 MB",
                    a.peakResidentMb() + " MB", "", a.peakResidentMb() <= MEMORY_LIMIT_MB);
        }
        if (logResult != null) {
            double slower = Math.min(logResult.rawPerSecond(), logResult.upsertPerSecond());
            String baseline = "raw consumption " + n0(logResult.rawPerSecond()) + ", batched upsert "
                    + n0(logResult.upsertPerSecond()) + " rows/s";
            for (AdapterStep.Result a : adapters) {
                row(doc, a.product() + ": replay into an empty cache, events/s", "≥ 50,000 and ≥ 70% of the slower "
                        + "baseline", n0(a.replayPerSecond()) + " (" + pct(a.replayPerSecond() / slower) + ")",
                        baseline, a.replayPerSecond() >= 50_000 && a.replayPerSecond() >= 0.7 * slower);
            }
            logResult.rebuildPerSecond().forEach((product, rate) -> row(doc, "auditor rebuild of " + product
                    + ", events/s", "≥ 50,000 and ≥ 70% of the slower baseline", n0(rate) + " (" + pct(rate / slower)
                    + ")", baseline, rate >= 50_000 && rate >= 0.7 * slower));
            row(doc, "auditor verify, events/s", "≥ 300,000 and ≥ 60% of raw consumption", n0(logResult
                    .verifyPerSecond()) + " (" + pct(logResult.verifyPerSecond() / logResult.rawPerSecond()) + ")",
                    "raw consumption " + n0(logResult.rawPerSecond()), logResult.verifyPerSecond() >= 300_000
                            && logResult.verifyPerSecond() >= 0.6 * logResult.rawPerSecond());
        }
        for (AdapterStep.Result a : adapters) {
            row(doc, a.product() + ": requests with a verified token / without authentication", "≥ 0.9, 0 calls to "
                    + "accounts", f2(a.ratio()) + " (" + n0(a.authenticatedPerSecond()) + " / "
                    + n0(a.unauthenticatedPerSecond()) + " per second), " + a.callsToAccounts() + " calls",
                    n0(a.unauthenticatedPerSecond()) + " requests/s without authentication",
                    a.ratio() >= 0.9 && a.callsToAccounts() == 0);
        }
        if (adaptersMissing != null) {
            doc.append("\nNot measured in this run: replay into an empty cache and the adapters' authenticated / ")
                    .append("unauthenticated rate (").append(adaptersMissing).append(").\n");
        }
        doc.append('\n');

        doc.append("## Password hash alone\n\n`HashCost` in a process of its own, before and after the mesh steps; ")
                .append("the better of the two runs:\n\n```\n").append(String.join("\n", hash.lines()))
                .append("\n```\n\n");
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
        if (log != null) {
            doc.append("\n## The log at full speed\n\nA log of ")
                    .append(String.format(Locale.ROOT, "%,d", log.events()))
                    .append(" events (").append(String.format(Locale.ROOT, "%,d", log.accounts()))
                    .append(" accounts, each created and then renamed; every event chained and signed), written for ")
                    .append("the run to a topic of its own, read by: a plain Kafka consumer with large fetches and no ")
                    .append("work per record; a batched PostgreSQL upsert of one row per event (1,000 per ")
                    .append("transaction, with a sequence guard); the packaged auditor (`verify`, and `rebuild` of ")
                    .append("each product, its own JVM, rates as it reports them, start left out); each adapter's ")
                    .append("benchmark build on an empty database, the log as its account log (events/s from its ")
                    .append("group's first commit to its last). Then each adapter's `/v1/<product>/me` with `wrk` (2 ")
                    .append("threads, 16 connections, 1,000 people in turn), with a verified token and without ")
                    .append("authentication (the benchmark build's `X-Bench-Account` header, which packaged adapters ")
                    .append("do not have), alternated, twice each; calls are the requests the adapter made to the ")
                    .append("issuer meanwhile.\n\n| product | replay events/s | replay CPU ms per 1,000 events | ")
                    .append("/me with a token | /me without | ratio | calls to accounts | peak resident MB |\n")
                    .append("|---|---|---|---|---|---|---|---|\n");
            adapters.forEach(a -> doc.append("| ").append(a.product()).append(" | ").append(n0(a.replayPerSecond()))
                    .append(" | ").append(f1(a.replayCpuMillisPerThousand())).append(" | ")
                    .append(n0(a.authenticatedPerSecond())).append(" | ").append(n0(a.unauthenticatedPerSecond()))
                    .append(" | ").append(f2(a.ratio())).append(" | ").append(a.callsToAccounts()).append(" | ")
                    .append(a.peakResidentMb()).append(" |\n"));
        }
        Path out = root.resolve("docs/performance.md");
        try {
            Files.writeString(root.resolve("docs/performance-propagation.svg"), propagationChart());
            Files.writeString(root.resolve("docs/performance-memory.svg"), memoryChart());
            Files.writeString(out, doc);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private String propagationChart() {
        Chart chart = new Chart("Propagation, commit in accounts to commit in the product (warm mesh)",
                "changes/s offered", "ms (worse adapter, log scale)", true);
        for (PropagationStep.Result r : warmPropagation) {
            chart.point("p50", r.offered(), r.worstP50()).point("p99", r.offered(), r.worstP99());
        }
        return chart.limit("p99 target 100 ms", 100).limit("1 s", 1000).svg();
    }

    private String memoryChart() {
        Chart chart = new Chart("Resident memory over the run (mesh steps)", "seconds since the mesh started", "MB",
                false);
        memoryOverTime.forEach((service, points) -> points.forEach(p -> chart.point(shortName(service), p[0], p[1])));
        return chart.limit("256 MB", MEMORY_LIMIT_MB).svg();
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

    private static String n0(double value) {
        return String.format(Locale.ROOT, "%,.0f", value);
    }

    private static String f1(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }

    private static String f2(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
