package dev.usersync.bench;

import dev.usersync.servers.LocalKafka;
import dev.usersync.servers.LocalMesh;
import dev.usersync.servers.LocalPostgres;
import dev.usersync.servers.Sockets;
import dev.usersync.testsupport.TestIssuer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The benchmark harness: measures the packaged mesh as {@code deploy/mesh} runs it (the same jars, JVM settings and
 * PostgreSQL and Kafka), driven from this process, and writes {@code docs/performance.md}. Memory is sampled for the
 * whole run, so every figure comes with the resident memory it cost. Run it with {@code benchmarks/run} (or
 * {@code --quick} for a shorter run while working on it).
 */
public final class Harness {

    /** Every request of the harness comes from one address: the per-address limits are for many people. */
    private static final Map<String, String> ONE_ADDRESS_MANY_PEOPLE = Map.of(
            "ACCOUNTS_RATE_LIMITS_SIGN_UP_PER_ADDRESS", "1000000",
            "ACCOUNTS_RATE_LIMITS_PASSWORD_RESET_PER_ADDRESS", "1000000",
            "ACCOUNTS_RATE_LIMITS_VERIFICATION_MAIL_PER_ADDRESS", "1000000");
    private static final int PASSWORD_CLIENTS = 4;
    private static final int STEADY_RATE = 200;
    private static final int REFRESH_CHAINS = 8;
    private static final double P99_CEILING_MILLIS = 1000;

    private Harness() {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = List.of(args).contains("--quick");
        boolean logOnly = List.of(args).contains("--log-only");
        int step = quick ? 10 : 30;
        Path root = Path.of(System.getProperty("mesh.root", ".")).toAbsolutePath().normalize();
        Progress progress = new Progress();
        Report report = new Report(root, String.join(" ", args));

        progress.say("measuring the password hash alone (" + step / 2 + " s with every core hashing)");
        report.hashRate(HashBaseline.measure(root, step / 2));
        progress.say("one hash: " + report.hashLine());

        Path data = Files.createTempDirectory("mesh-bench");
        Path logs = root.resolve("benchmarks/target/logs");
        delete(logs);
        try (LocalPostgres postgres = LocalPostgres.persistent(data.resolve("postgres"), Sockets.freePort());
                LocalKafka kafka = new LocalKafka(data.resolve("kafka"), UUID.randomUUID().toString(), 0, 0)
                        .start()) {
            LocalMesh mesh = new LocalMesh(root, postgres, kafka.bootstrapServers(), LocalMesh.Ports.free(root),
                    LocalMesh.Secrets.generate(), logs)
                    .configure("accounts-service", ONE_ADDRESS_MANY_PEOPLE);
            try {
                if (logOnly) {
                    progress.say("--log-only: the mesh steps are skipped");
                } else {
                    progress.say("starting the mesh (logs in " + logs + ", kept after the run)");
                    mesh.startAll(Duration.ofSeconds(180));
                    Map<String, Long> pids = new LinkedHashMap<>();
                    mesh.services().forEach(name -> pids.put(name, mesh.process(name).pid()));
                    try (Sampler memory = new Sampler(pids)) {
                        run(mesh, pids, memory, report, progress, step);
                        report.memory(memory.runPeaks(), memory.series());
                    }
                }
            } finally {
                mesh.close();
            }
            progress.say("the password hash alone again, with the mesh stopped (the better rate is the baseline)");
            report.hashRate(HashBaseline.measure(root, step / 2));
            progress.say("one hash: " + report.hashLine());
            logAtFullSpeed(root, postgres, kafka.bootstrapServers(), logs, report, progress, quick);
        } finally {
            delete(data);
        }
        Path out = report.write();
        progress.say("wrote " + out);
    }

    private static void run(LocalMesh mesh, Map<String, Long> pids, Sampler memory, Report report, Progress progress,
            int step) throws InterruptedException {
        String accounts = mesh.url("accounts-service");
        Browser browser = new Browser(accounts);
        PasswordStep passwords = new PasswordStep(browser, accounts, pids.get("accounts-service"));
        Map<String, String> adapters = new LinkedHashMap<>();
        adapters.put("track-adapter", mesh.url("track-adapter"));
        adapters.put("plan-adapter", mesh.url("plan-adapter"));
        PropagationStep propagation = new PropagationStep(browser, passwords.people(), adapters, pids);

        memory.newStep();
        progress.say("cold start: " + step + " s of sign-ups from " + PASSWORD_CLIENTS + " clients");
        report.password("cold", passwords.run(true, PASSWORD_CLIENTS, step), memory.stepPeaks());
        progress.say(report.lastLine());

        memory.newStep();
        progress.say("cold start: " + STEADY_RATE + " changes/s for " + step + " s, right after the sign-ups");
        report.propagation("cold", propagation.run(STEADY_RATE, step), memory.stepPeaks());
        progress.say(report.lastLine());

        progress.say("warming up: " + step + " s of logins");
        passwords.run(false, PASSWORD_CLIENTS, step);
        for (boolean signUps : new boolean[] {true, false}) {
            memory.newStep();
            progress.say((signUps ? "sign-ups" : "logins") + " for " + step + " s from " + PASSWORD_CLIENTS
                    + " clients");
            report.password("warm", passwords.run(signUps, PASSWORD_CLIENTS, step), memory.stepPeaks());
            progress.say(report.lastLine());
        }

        memory.newStep();
        progress.say("refresh grants: " + REFRESH_CHAINS + " apps rotating their refresh tokens for " + step + " s");
        report.refresh(new RefreshStep(browser, pids.get("accounts-service")).run(passwords.people(), REFRESH_CHAINS,
                step), memory.stepPeaks());
        progress.say(report.lastLine());

        for (int rate : List.of(50, 100, STEADY_RATE, 400, 800, 1200, 1600, 2000, 2400, 3200)) {
            memory.newStep();
            progress.say(rate + " changes/s for " + step + " s");
            PropagationStep.Result result = propagation.run(rate, step);
            report.propagation("warm", result, memory.stepPeaks());
            progress.say(report.lastLine());
            if (rate >= STEADY_RATE && !result.keptUp(P99_CEILING_MILLIS)) {
                break;
            }
        }
    }

    /** The log step and each adapter's replay and requests, with the mesh stopped: they have the machine alone. */
    private static void logAtFullSpeed(Path root, LocalPostgres postgres, String kafka, Path logs, Report report,
            Progress progress, boolean quick) throws Exception {
        int accounts = quick ? 10_000 : 40_000;
        int eventsEach = quick ? 2 : 5;
        TestIssuer issuer = TestIssuer.shared();
        List<String> products = LocalMesh.products(root);
        LogStep step = new LogStep(root, postgres, kafka, issuer);
        progress.say("writing a log of " + accounts + " accounts x " + eventsEach + " events");
        LogStep.Log log = step.write(accounts, eventsEach, products);
        progress.say("reading it raw, upserting as many rows, auditor verify and rebuild");
        report.log(log, step.run(log, products, logs));
        progress.say(report.lastLine());
        String missing = !AdapterStep.wrkInstalled() ? "wrk is not installed: apt-get install wrk"
                : products.stream().allMatch(p -> AdapterStep.built(root, p)) ? null
                        : "no benchmark build of the adapters: run benchmarks/run, which makes it";
        if (missing != null) {
            report.adaptersMissing(missing);
            progress.say(report.lastLine());
            return;
        }
        AdapterStep adapters = new AdapterStep(root, postgres, kafka, issuer, logs);
        for (String product : products) {
            progress.say(product + ": replay into an empty cache, then /me with and without a token");
            report.adapter(adapters.run(product, log, quick ? 5 : 15));
            progress.say(report.lastLine());
        }
    }

    private static void delete(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (var files = Files.walk(directory)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }

    /** Progress lines, with the time since the start. */
    static final class Progress {
        private final long started = System.nanoTime();

        void say(String line) {
            long seconds = (System.nanoTime() - started) / 1_000_000_000L;
            System.out.printf("[%02d:%02d] %s%n", seconds / 60, seconds % 60, line);
        }
    }
}
