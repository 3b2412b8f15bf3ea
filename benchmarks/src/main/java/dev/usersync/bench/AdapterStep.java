package dev.usersync.bench;

import dev.usersync.servers.LocalMesh;
import dev.usersync.servers.LocalPostgres;
import dev.usersync.servers.ServiceProcess;
import dev.usersync.servers.Sockets;
import dev.usersync.testsupport.TestIssuer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One adapter on its own, as packaged with one addition (see below): started on an empty database with
 * {@link LogStep}'s log as its account log, the rate at which it replays the log into its cache (its consumer group's
 * committed offsets against the log's end); then the rate of its {@code /me} endpoint with a verified token against
 * the same endpoint without authentication, from {@code wrk} in its own process, alternated, and the requests the
 * adapter made to the issuer meanwhile (the target is none). The process is the benchmark build of the adapter
 * ({@code target/bench-app}, made by {@code benchmarks/run}): the packaged one plus a request header that names the
 * caller without a token, which the packaged adapter does not have.
 */
final class AdapterStep {

    private final Path root;
    private final LocalPostgres postgres;
    private final String bootstrapServers;
    private final TestIssuer issuer;
    private final Path logs;

    AdapterStep(Path root, LocalPostgres postgres, String bootstrapServers, TestIssuer issuer, Path logs) {
        this.root = root;
        this.postgres = postgres;
        this.bootstrapServers = bootstrapServers;
        this.issuer = issuer;
        this.logs = logs;
    }

    record Result(String product, double replayPerSecond, double replayCpuMillisPerThousand,
            double unauthenticatedPerSecond, double authenticatedPerSecond, int callsToAccounts, long peakResidentMb) {

        double ratio() {
            return authenticatedPerSecond / unauthenticatedPerSecond;
        }
    }

    /** Whether {@code wrk} is installed (Debian package {@code wrk}). */
    static boolean wrkInstalled() {
        try {
            return new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start().waitFor() >= 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static boolean built(Path root, String product) {
        return Files.exists(jar(root, product));
    }

    Result run(String product, LogStep.Log log, int seconds) throws Exception {
        String database = "bench_" + product;
        postgres.ensureDatabase(database);
        int port = Sockets.freePort();
        Map<String, String> environment = LocalMesh.adapterEnvironment(product + "-adapter", port,
                postgres.jdbcUrl(database), Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers,
                        "ACCOUNTS_ISSUER", issuer.url(),
                        "ADAPTER_TOPICS_ACCOUNT_LOG", LogStep.TOPIC,
                        "ADAPTER_TOPICS_ACCOUNT_STATE", LogStep.STATE_TOPIC,
                        // a benchmark build refuses to start without it (adapter-core's UnauthenticatedCallers)
                        "ADAPTER_BENCH_UNAUTHENTICATED_ACKNOWLEDGED", "this build lets anyone name the caller"));
        try (ServiceProcess adapter = ServiceProcess.start(product + "-adapter (benchmark build)",
                jar(root, product), port, environment, logs.resolve("bench-" + product + "-adapter.log"));
                Sampler memory = new Sampler(Map.of(product, adapter.pid()))) {
            adapter.awaitReady(Duration.ofMinutes(2));
            long pid = adapter.pid();
            double cpuBefore = Processes.cpuSeconds(pid);
            double replay = replay(product + "-adapter", log.events());
            double cpuMillisPerThousand = 1e6 * (Processes.cpuSeconds(pid) - cpuBefore) / log.events();

            String url = adapter.url() + "/v1/" + product + "/me";
            List<String> tokens = new ArrayList<>();
            List<String> names = new ArrayList<>();
            List<String> audience = LocalMesh.products(root);
            for (UUID account : log.someAccounts()) {
                tokens.add("Bearer " + issuer.token(account, UUID.randomUUID(), audience,
                        Duration.ofHours(1)));
                names.add(account.toString());
            }
            Path authenticated = script("Authorization", tokens);
            Path unauthenticated = script("X-Bench-Account", names);
            wrk(url, unauthenticated, Math.max(3, seconds / 3));
            wrk(url, authenticated, Math.max(3, seconds / 3));
            int requestsBefore = issuer.requests();
            // Alternated, twice each, so that neither side gains from running later (JIT, caches).
            double without = 0;
            double with = 0;
            for (int round = 0; round < 2; round++) {
                without += wrk(url, unauthenticated, seconds) / 2;
                with += wrk(url, authenticated, seconds) / 2;
            }
            int calls = issuer.requests() - requestsBefore;
            return new Result(product, replay, cpuMillisPerThousand, without, with, calls,
                    memory.runPeaks().get(product));
        }
    }

    private static Path jar(Path root, String product) {
        return root.resolve(product + "-adapter/target/bench-app/quarkus-run.jar");
    }

    /**
     * Events per second from the first offsets the group commits to its last: the adapter's start and bootstrap are
     * left out.
     */
    private double replay(String group, long events) throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
            long firstCommitted = -1;
            long firstAt = 0;
            while (System.nanoTime() < deadline) {
                long committed = committed(admin, group);
                if (firstCommitted < 0 && committed > 0) {
                    firstCommitted = committed;
                    firstAt = System.nanoTime();
                }
                if (committed >= events) {
                    return (events - firstCommitted) / LogStep.seconds(firstAt);
                }
                Thread.sleep(100); // a sampling period, not synchronisation
            }
            throw new IllegalStateException(group + " did not replay " + events + " events in 20 minutes");
        }
    }

    private static long committed(Admin admin, String group) throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream().filter(e -> e.getKey().topic().equals(LogStep.TOPIC) && e.getValue() != null)
                .mapToLong(e -> e.getValue().offset()).sum();
    }

    /** A wrk script that sends each request with the next of {@code values} in header {@code name}. */
    private static Path script(String name, List<String> values) throws IOException {
        StringBuilder lua = new StringBuilder("local values = {\n");
        values.forEach(v -> lua.append("  \"").append(v).append("\",\n"));
        lua.append("}\nlocal i = 0\nrequest = function()\n  i = i % #values + 1\n")
                .append("  return wrk.format(nil, nil, { [\"").append(name).append("\"] = values[i] })\nend\n");
        Path script = Files.createTempFile("wrk-", ".lua");
        Files.writeString(script, lua, StandardCharsets.UTF_8);
        script.toFile().deleteOnExit();
        return script;
    }

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

    /** Runs wrk (2 threads, 16 connections) and returns its requests per second; any error fails the step. */
    private static double wrk(String url, Path script, int seconds) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("wrk", "-t2", "-c16", "-d" + seconds + "s", "-s", script.toString(), url)
                .redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher rate = RATE.matcher(out);
        if (out.contains("Non-2xx") || out.contains("Socket errors") || !rate.find()) {
            throw new IllegalStateException("wrk saw errors or gave no rate:\n" + out);
        }
        return Double.parseDouble(rate.group(1));
    }
}
