package dev.usersync.e2e;

import dev.usersync.servers.LocalKafka;
import dev.usersync.servers.LocalMesh;
import dev.usersync.servers.LocalPostgres;
import dev.usersync.servers.ServiceProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sign-up and login rates of the packaged accounts service, as the local mesh runs it (JVM settings included), driven
 * from this JVM (another process), with its resident memory and the share of wall time its garbage collector took,
 * measured in the same runs. Against the cost of one Argon2id hash (see {@code PasswordHashBenchmark}), the target is
 * at least 90% of cores divided by hash time. Run from the e2e-tests module after {@code ./mvnw install -DskipTests}:
 * {@code ../mvnw -q dependency:build-classpath -Dmdep.outputFile=cp.txt -Dmdep.includeScope=test && java -cp
 * target/test-classes:$(cat cp.txt) -Dbench.seconds=20 -Dbench.clients=4 dev.usersync.e2e.PasswordLoadBenchmark};
 * {@code -Dmesh.jvm="-Xmx192m ..."} tries other JVM settings for the service.
 */
public final class PasswordLoadBenchmark {

    private static final String PASSWORD = "correct horse battery staple";

    private PasswordLoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.getInteger("bench.seconds", 20);
        int clients = Integer.getInteger("bench.clients", 4);
        try (LocalKafka kafka = new LocalKafka(Files.createTempDirectory("bench-kafka"), UUID.randomUUID().toString(),
                0, 0).start(); LocalPostgres postgres = LocalPostgres.ephemeral()) {
            LocalMesh services = new LocalMesh(RunningMesh.ROOT, postgres, kafka.bootstrapServers(),
                    LocalMesh.Ports.free(), LocalMesh.Secrets.generate(),
                    Path.of("target", "bench-logs")).configure("accounts-service", RunningMesh.MANY_CLIENTS);
            try {
                ServiceProcess accounts = services.start("accounts-service", Duration.ofSeconds(120));
                String url = services.url("accounts-service");
                List<String> people = new ArrayList<>();
                System.out.printf("warming up (%d s of sign-ups and logins)...%n", seconds / 2);
                run(url, clients, seconds / 2, true, people);
                run(url, clients, seconds / 2, false, people);
                for (boolean signUps : new boolean[] {true, false}) {
                    Map<String, Double> hashingBefore = hashing(url);
                    double gcBefore = gcSeconds(accounts.pid());
                    double cpuBefore = cpuSeconds(accounts.pid());
                    double machineBefore = machineBusySeconds();
                    long started = System.nanoTime();
                    Map<Integer, Integer> statuses = run(url, clients, seconds, signUps, people);
                    double wall = (System.nanoTime() - started) / 1e9;
                    double gc = gcSeconds(accounts.pid()) - gcBefore;
                    double cpu = cpuSeconds(accounts.pid()) - cpuBefore;
                    double machine = machineBusySeconds() - machineBefore;
                    int ok = statuses.getOrDefault(signUps ? 201 : 200, 0);
                    Map<String, Double> hashingAfter = hashing(url);
                    double hashes = hashingAfter.get(COUNT) - hashingBefore.get(COUNT);
                    System.out.printf("%-8s %d clients, %d s: %,.1f/s answered %s; GC %.1f%% of wall time; "
                            + "the service used %.2f cores, the machine %.2f of %d; resident %d MB; a hash took "
                            + "%.1f ms on its thread (%.1f ms of CPU)%n",
                            signUps ? "sign-up" : "login", clients, seconds, ok / wall, statuses, 100 * gc / wall,
                            cpu / wall, machine / wall, Runtime.getRuntime().availableProcessors(),
                            residentMb(accounts.pid()),
                            1000 * (hashingAfter.get(SUM) - hashingBefore.get(SUM)) / hashes,
                            1000 * (hashingAfter.get(CPU) - hashingBefore.get(CPU)) / hashes);
                }
            } finally {
                services.close();
            }
        }
    }

    /** {@code clients} closed loops for {@code seconds}; answers by status. */
    private static Map<Integer, Integer> run(String url, int clients, int seconds, boolean signUps, List<String> people)
            throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        List<String> created = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int c = 0; c < clients; c++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < until) {
                    String email;
                    String path;
                    if (signUps || people.isEmpty()) {
                        email = "load-" + UUID.randomUUID() + "@example.com";
                        path = "/v1/signup";
                    } else {
                        email = people.get(next.getAndIncrement() % people.size());
                        path = "/v1/login";
                    }
                    int status = post(http, url + path, "{\"email\":\"" + email + "\",\"password\":\"" + PASSWORD
                            + "\",\"product\":\"track\"}");
                    statuses.merge(status, 1, Integer::sum);
                    if (status == 201) {
                        created.add(email);
                    }
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        people.addAll(created);
        return new TreeMap<>(statuses);
    }

    private static int post(HttpClient http, String url, String json) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static final String COUNT = "accounts_password_hashing_seconds_count";
    private static final String SUM = "accounts_password_hashing_seconds_sum";
    private static final String CPU = "accounts_password_hashing_cpu_seconds_total";

    /** The service's own hashing metrics: hashes done, their wall time and the hashing threads' CPU time. */
    private static Map<String, Double> hashing(String url) throws Exception {
        String metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/q/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> values = new TreeMap<>();
        for (String line : metrics.lines().toList()) {
            for (String name : List.of(COUNT, SUM, CPU)) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    values.put(name, Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
                }
            }
        }
        return values;
    }

    /** Total collection time of the process so far, from {@code jstat -gcutil} (its GCT column). */
    private static double gcSeconds(long pid) throws Exception {
        Process jstat = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jstat").toString(),
                "-gcutil", Long.toString(pid)).start();
        List<String> lines = new String(jstat.getInputStream().readAllBytes()).lines().toList();
        jstat.waitFor();
        String[] header = lines.get(0).trim().split("\\s+");
        String[] values = lines.get(1).trim().split("\\s+");
        for (int i = 0; i < header.length; i++) {
            if ("GCT".equals(header[i])) {
                return Double.parseDouble(values[i]);
            }
        }
        throw new IllegalStateException("no GCT in " + lines);
    }

    /** User and system CPU time of the process, from /proc (clock ticks of 1/100 s). */
    private static double cpuSeconds(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    /** CPU time the whole machine spent busy (not idle, not waiting for I/O), from /proc/stat. */
    private static double machineBusySeconds() throws Exception {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < cpu.length; i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(cpu[i]);
            }
        }
        return busy / 100.0;
    }

    private static long residentMb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }

}
