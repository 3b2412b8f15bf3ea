package dev.usersync.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sign-ups, then logins, from a few closed-loop clients: the rate the accounts service answers with 201 (200), and in
 * the same run the share of wall time its collector took, the cores it used, and what one hash cost on its thread
 * (from the service's {@code accounts_password_hashing_*} metrics).
 */
final class PasswordStep {

    /** What one phase measured. */
    record Result(String what, int clients, double perSecond, Map<Integer, Integer> statuses, double gcShare,
            double serviceCores, double machineCores, double hashWallMillis, double hashCpuMillis) {
    }

    private final Browser browser;
    private final String accountsUrl;
    private final long accountsPid;
    private final List<Browser.Session> people = Collections.synchronizedList(new ArrayList<>());

    PasswordStep(Browser browser, String accountsUrl, long accountsPid) {
        this.browser = browser;
        this.accountsUrl = accountsUrl;
        this.accountsPid = accountsPid;
    }

    /** The sessions the sign-ups opened, for the steps after this one. */
    List<Browser.Session> people() {
        return people;
    }

    /** {@code clients} closed loops of sign-ups, or of logins of earlier sign-ups, for {@code seconds}. */
    Result run(boolean signUps, int clients, int seconds) throws InterruptedException {
        Metrics before = Metrics.scrape(accountsUrl);
        double gcBefore = Processes.gcSeconds(accountsPid);
        double cpuBefore = Processes.cpuSeconds(accountsPid);
        double machineBefore = Processes.machineBusySeconds();
        long started = System.nanoTime();
        Map<Integer, Integer> statuses = load(signUps, clients, seconds);
        double wall = (System.nanoTime() - started) / 1e9;
        Metrics after = Metrics.scrape(accountsUrl);
        double hashes = after.since(before, "accounts_password_hashing_seconds_count");
        int ok = statuses.getOrDefault(signUps ? 201 : 200, 0);
        return new Result(signUps ? "sign-up" : "login", clients, ok / wall, statuses,
                (Processes.gcSeconds(accountsPid) - gcBefore) / wall,
                (Processes.cpuSeconds(accountsPid) - cpuBefore) / wall,
                (Processes.machineBusySeconds() - machineBefore) / wall,
                1000 * after.since(before, "accounts_password_hashing_seconds_sum") / hashes,
                1000 * after.since(before, "accounts_password_hashing_cpu_seconds_total") / hashes);
    }

    private Map<Integer, Integer> load(boolean signUps, int clients, int seconds) throws InterruptedException {
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        List<Browser.Session> known = List.copyOf(people);
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < until) {
                    Browser.Answer answer = signUps || known.isEmpty()
                            ? browser.signUp(Browser.newEmail()).join()
                            : browser.login(known.get(next.getAndIncrement() % known.size()).email()).join();
                    statuses.merge(answer.status(), 1, Integer::sum);
                    if (answer.status() == 201 && answer.session() != null) {
                        people.add(answer.session());
                    }
                }
            }, "password-client-" + c);
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        return new TreeMap<>(statuses);
    }
}
