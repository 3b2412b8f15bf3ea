package dev.usersync.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Account changes at a fixed offered rate (open loop: a request is sent on schedule whether or not earlier ones have
 * been answered, at most {@value #IN_FLIGHT} at once), as a mix: of every 20 changes one is a login and one a logout,
 * the rest profile changes. Propagation is what each adapter's {@code adapter_propagation_seconds} histogram recorded
 * during the step (from the event's commit in accounts to its commit in the product), read once the adapters have
 * caught up. The CPU each process used is measured in the same step: each service's, this process's (the load and, as
 * in the local mesh, the Kafka broker) and the rest of the machine's (PostgreSQL).
 */
final class PropagationStep {

    static final int IN_FLIGHT = 256;
    private static final String HISTOGRAM = "adapter_propagation_seconds";
    static final String HARNESS = "harness and Kafka";
    static final String POSTGRES = "the rest (PostgreSQL)";

    /** What one rate measured. {@code latency} holds each adapter's p50 and p99 in milliseconds. */
    record Result(int offered, double achieved, Map<Integer, Integer> statuses, int notSent,
            Map<String, double[]> latency, Map<String, Double> cores, double machineCores) {

        double worstP99() {
            return latency.values().stream().mapToDouble(p -> p[1]).max().orElse(Double.NaN);
        }

        /** Whether the mesh kept up: at least 90% of the offered rate answered, p99 under {@code ceilingMillis}. */
        boolean keptUp(double ceilingMillis) {
            return achieved >= 0.9 * offered && worstP99() <= ceilingMillis;
        }

        double worstP50() {
            return latency.values().stream().mapToDouble(p -> p[0]).max().orElse(Double.NaN);
        }
    }

    private final Browser browser;
    private final List<Browser.Session> people;
    private final Map<String, String> adapters;
    private final Map<String, Long> pids;
    private final ConcurrentLinkedQueue<Browser.Session> loggedIn = new ConcurrentLinkedQueue<>();

    /**
     * @param adapters each adapter's name and URL
     * @param pids every service's pid, for its CPU time
     */
    PropagationStep(Browser browser, List<Browser.Session> people, Map<String, String> adapters,
            Map<String, Long> pids) {
        this.browser = browser;
        this.people = people;
        this.adapters = adapters;
        this.pids = pids;
    }

    Result run(int rate, int seconds) {
        Map<String, Metrics> before = scrapeAdapters();
        Map<String, Double> cpuBefore = cpu();
        double machineBefore = Processes.machineBusySeconds();
        Semaphore inFlight = new Semaphore(IN_FLIGHT);
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        AtomicInteger notSent = new AtomicInteger();
        int total = rate * seconds;
        long start = System.nanoTime();
        for (int k = 0; k < total; k++) {
            long due = start + (long) (k * 1e9 / rate);
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            if (!inFlight.tryAcquire()) {
                notSent.incrementAndGet();
                continue;
            }
            change(k).whenComplete((answer, failure) -> {
                statuses.merge(failure == null ? answer.status() : -1, 1, Integer::sum);
                inFlight.release();
            });
        }
        inFlight.acquireUninterruptibly(IN_FLIGHT);
        double wall = (System.nanoTime() - start) / 1e9;
        inFlight.release(IN_FLIGHT);
        Map<String, Double> cpuAfter = cpu();
        double machine = (Processes.machineBusySeconds() - machineBefore) / wall;
        Map<String, Metrics> after = caughtUp();
        Map<String, double[]> latency = new LinkedHashMap<>();
        after.forEach((name, metrics) -> latency.put(name, new double[] {
                metrics.quantileMillis(before.get(name), HISTOGRAM, 0.5),
                metrics.quantileMillis(before.get(name), HISTOGRAM, 0.99)}));
        Map<String, Double> cores = new LinkedHashMap<>();
        cpuAfter.forEach((name, used) -> cores.put(name, (used - cpuBefore.get(name)) / wall));
        double accounted = cores.values().stream().mapToDouble(Double::doubleValue).sum();
        cores.put(POSTGRES, Math.max(machine - accounted, 0));
        int ok = statuses.entrySet().stream().filter(e -> e.getKey() / 100 == 2).mapToInt(Map.Entry::getValue).sum();
        return new Result(rate, ok / wall, new TreeMap<>(statuses), notSent.get(), latency, cores, machine);
    }

    /** The {@code k}-th change of the mix. */
    private CompletableFuture<Browser.Answer> change(int k) {
        Browser.Session someone = people.get(ThreadLocalRandom.current().nextInt(people.size()));
        if (k % 20 == 0) {
            return browser.login(someone.email()).thenApply(answer -> {
                if (answer.session() != null) {
                    loggedIn.add(answer.session());
                }
                return answer;
            });
        }
        Browser.Session leaving = k % 20 == 10 ? loggedIn.poll() : null;
        return leaving != null ? browser.logout(leaving) : browser.rename(someone, "Person " + k);
    }

    /** Scrapes the adapters once neither has applied anything new for a second (at most a minute). */
    private Map<String, Metrics> caughtUp() {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        Map<String, Metrics> now = scrapeAdapters();
        while (System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(1));
            Map<String, Metrics> previous = now;
            now = scrapeAdapters();
            boolean quiet = now.entrySet().stream().allMatch(entry -> entry.getValue()
                    .since(previous.get(entry.getKey()), HISTOGRAM + "_count") == 0
                    && entry.getValue().value("adapter_consumer_lag") <= 0);
            if (quiet) {
                return now;
            }
        }
        return now;
    }

    private Map<String, Metrics> scrapeAdapters() {
        Map<String, Metrics> scraped = new LinkedHashMap<>();
        adapters.forEach((name, url) -> scraped.put(name, Metrics.scrape(url)));
        return scraped;
    }

    /** CPU seconds so far of each service and of this process (the load and, as in the local mesh, Kafka). */
    private Map<String, Double> cpu() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        pids.forEach((name, pid) -> cpu.put(name, Processes.cpuSeconds(pid)));
        cpu.put(HARNESS, Processes.cpuSeconds(ProcessHandle.current().pid()));
        return cpu;
    }
}
