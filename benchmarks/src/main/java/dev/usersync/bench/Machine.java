package dev.usersync.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** What the report says about where it ran. */
final class Machine {

    private Machine() {
    }

    static String describe() {
        String model = "unknown processor";
        long memoryMb = -1;
        try {
            model = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse(model);
            memoryMb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                    .findFirst().map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024).orElse(-1L);
        } catch (IOException e) {
            // not Linux: the description says less
        }
        return String.format(Locale.ROOT, "%d cores (%s), %,d MB, %s %s, Java %s",
                Runtime.getRuntime().availableProcessors(), model, memoryMb, System.getProperty("os.name"),
                System.getProperty("os.version"), System.getProperty("java.version"));
    }

    /** The commit the packages were built from, marked when the work tree had changes. */
    static String commit(Path root) {
        try {
            Process head = new ProcessBuilder("git", "-C", root.toString(), "rev-parse", "--short", "HEAD").start();
            String commit = new String(head.getInputStream().readAllBytes()).trim();
            Process status = new ProcessBuilder("git", "-C", root.toString(), "status", "--porcelain",
                    "--untracked-files=no").start();
            boolean changed = !new String(status.getInputStream().readAllBytes()).isBlank();
            return commit.isEmpty() ? "unknown" : commit + (changed ? " with uncommitted changes" : "");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
