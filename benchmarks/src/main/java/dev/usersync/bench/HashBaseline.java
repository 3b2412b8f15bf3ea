package dev.usersync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The cost of a password hash without the service: the accounts service's own {@code HashCost}, run from its package
 * in a process of its own, with every core hashing. Its rate is what sign-ups and logins are measured against.
 */
final class HashBaseline {

    /** What {@code HashCost} printed, and its rate in hashes per second. */
    record Result(List<String> lines, double hashesPerSecond) {
    }

    private HashBaseline() {
    }

    static Result measure(Path root, int seconds) {
        Path app = root.resolve("accounts-service/target/quarkus-app");
        String classpath = app.resolve("app") + "/*:" + app.resolve("lib/main") + "/*";
        try {
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", classpath, "dev.usersync.accounts.password.HashCost", Integer.toString(seconds))
                    .redirectErrorStream(true).start();
            List<String> lines = new String(process.getInputStream().readAllBytes()).lines().toList();
            if (process.waitFor() != 0) {
                throw new IllegalStateException("HashCost failed: " + lines);
            }
            String rate = lines.stream().filter(line -> line.startsWith("hashes-per-second=")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("HashCost printed no rate: " + lines));
            return new Result(lines.stream().filter(line -> !line.startsWith("hashes-per-second=")).toList(),
                    Double.parseDouble(rate.substring(rate.indexOf('=') + 1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
