package dev.usersync.accounts.password;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a password hash costs on this machine, without the service: the median time of one hash, of a wrong-password
 * verification and of an unknown email's decoy verification on one thread (the three must match, or timing tells
 * which emails have accounts), then the rate with one hashing thread per core, which is what the service can reach at
 * best (cores share caches and memory bandwidth, so a hash costs more when every core hashes). Run it with the
 * packaged service's classpath: {@code java -cp 'accounts-service/target/quarkus-app/app/*:accounts-service/target/
 * quarkus-app/lib/main/*' dev.usersync.accounts.password.HashCost [seconds]}. The last line is
 * {@code hashes-per-second=<rate>}, for the benchmark harness.
 */
public final class HashCost {

    private static final int ROUNDS = 40;

    private HashCost() {
    }

    public static void main(String[] args) throws InterruptedException {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
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
        double rate = rate(cores, seconds);
        System.out.printf("%d threads for %d s: %.1f ms per hash per core%n", cores, seconds, 1000.0 * cores / rate);
        System.out.printf("hashes-per-second=%.1f%n", rate);
    }

    /** Hashes per second with {@code threads} threads hashing for {@code seconds}. */
    private static double rate(int threads, int seconds) throws InterruptedException {
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        AtomicInteger hashes = new AtomicInteger();
        List<Thread> running = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            PasswordHasher own = new PasswordHasher(19456, 2, 1);
            Thread thread = new Thread(() -> {
                while (System.nanoTime() < until) {
                    own.hash("a new password");
                    hashes.incrementAndGet();
                }
            });
            thread.start();
            running.add(thread);
        }
        for (Thread thread : running) {
            thread.join();
        }
        return hashes.get() / (double) seconds;
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
