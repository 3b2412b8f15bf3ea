package dev.usersync.accounts.password;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Prints the cost of one Argon2id hash at the default parameters, shows that a login for an unknown email (decoy
 * verification) costs the same as one with a wrong password, and measures the rate with one hashing thread per core
 * (cores share caches and memory bandwidth, so a hash costs more when every core hashes). Run it from the
 * accounts-service module: {@code ../mvnw -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.usersync.accounts.password.PasswordHashBenchmark}.
 */
public final class PasswordHashBenchmark {

    private static final int ROUNDS = 40;

    private PasswordHashBenchmark() {
    }

    public static void main(String[] args) throws InterruptedException {
        PasswordHasher hasher = new PasswordHasher(19456, 2, 1);
        String stored = hasher.hash("the right password");
        for (int i = 0; i < 10; i++) {
            hasher.verify(PasswordHasher.ARGON2ID, stored, "warm up");
            hasher.verifyDecoy("warm up");
        }
        double[] hash = new double[ROUNDS];
        double[] wrong = new double[ROUNDS];
        double[] decoy = new double[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            hash[i] = time(() -> hasher.hash("a new password"));
            wrong[i] = time(() -> hasher.verify(PasswordHasher.ARGON2ID, stored, "a wrong password"));
            decoy[i] = time(() -> hasher.verifyDecoy("any password"));
        }
        System.out.printf("Argon2id %s, %d rounds each, one thread%n", hasher.parameters(), ROUNDS);
        print("hash a new password", hash);
        print("verify a wrong password", wrong);
        print("unknown email (decoy)", decoy);
        int cores = Runtime.getRuntime().availableProcessors();
        long until = System.nanoTime() + 10_000_000_000L;
        AtomicInteger hashes = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < cores; i++) {
            PasswordHasher own = new PasswordHasher(19456, 2, 1);
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < until) {
                    own.hash("a new password");
                    hashes.incrementAndGet();
                }
            });
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        System.out.printf("  %d threads for 10 s: %.1f hashes/s, %.1f ms per hash per core%n", cores,
                hashes.get() / 10.0, 10_000.0 * cores / hashes.get());
    }

    private static double time(Runnable work) {
        long start = System.nanoTime();
        work.run();
        return (System.nanoTime() - start) / 1e6;
    }

    private static void print(String what, double[] millis) {
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        System.out.printf("  %-26s median %6.1f ms   p90 %6.1f ms   min %6.1f ms%n", what, sorted[sorted.length / 2],
                sorted[(int) (sorted.length * 0.9)], sorted[0]);
    }
}
