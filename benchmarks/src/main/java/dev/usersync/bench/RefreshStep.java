package dev.usersync.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Refresh-token grants as native apps make them: each of a few closed-loop clients holds one app session of its own
 * person and rotates its refresh token again and again, for the rate the accounts service answers and the CPU each
 * process spends per grant.
 */
final class RefreshStep {

    /** What the step measured. */
    record Result(int chains, double perSecond, int refused, double accountsCpuMillis, double machineCores) {
    }

    private final Browser browser;
    private final long accountsPid;

    RefreshStep(Browser browser, long accountsPid) {
        this.browser = browser;
        this.accountsPid = accountsPid;
    }

    /** Signs {@code chains} people in and their app, then rotates for {@code seconds}. */
    Result run(List<Browser.Session> people, int chains, int seconds) throws InterruptedException {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < chains; i++) {
            Browser.Session person = browser.login(people.get(i).email()).join().session();
            if (person == null) {
                throw new IllegalStateException("the login of " + people.get(i).email() + " was refused");
            }
            tokens.add(browser.appRefreshToken(person));
        }
        AtomicInteger granted = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        double cpuBefore = Processes.cpuSeconds(accountsPid);
        double machineBefore = Processes.machineBusySeconds();
        long started = System.nanoTime();
        long until = started + seconds * 1_000_000_000L;
        List<Thread> threads = new ArrayList<>();
        for (String first : tokens) {
            Thread thread = new Thread(() -> {
                String token = first;
                while (token != null && System.nanoTime() < until) {
                    token = browser.refresh(token);
                    (token == null ? refused : granted).incrementAndGet();
                }
            }, "refresh-chain");
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double wall = (System.nanoTime() - started) / 1e9;
        return new Result(chains, granted.get() / wall, refused.get(),
                1000 * (Processes.cpuSeconds(accountsPid) - cpuBefore) / Math.max(granted.get(), 1),
                (Processes.machineBusySeconds() - machineBefore) / wall);
    }
}
