package dev.usersync.accounts.password;

import java.util.Arrays;

/**
 * Prints the cost of one Argon2id hash at the default parameters, and shows that a login for an unknown email
 * (decoy verification) costs the same as one with a wrong password. Run it from the accounts-service module:
 * {@code ../mvnw -q test-compile exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=dev.usersync.accounts.password.PasswordHashBenchmark}.
 */
public final class PasswordHashBenchmark {

    private static final int ROUNDS = 40;

    private PasswordHashBenchmark() {
    }

    public static void main(String[] args) {
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
