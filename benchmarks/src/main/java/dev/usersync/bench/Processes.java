package dev.usersync.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the operating system and the JVM say about a process: resident memory, CPU time, collection time. */
final class Processes {

    private static final double TICKS_PER_SECOND = 100.0;

    private Processes() {
    }

    /** Resident memory (VmRSS) in MB; -1 once the process is gone. */
    static long residentMb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
                }
            }
            return -1;
        } catch (IOException gone) {
            return -1;
        }
    }

    /** User and system CPU time of the process so far, in seconds. */
    static double cpuSeconds(long pid) {
        String stat = read(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    }

    /** CPU time the whole machine spent busy (neither idle nor waiting for I/O), in seconds over all cores. */
    static double machineBusySeconds() {
        String[] cpu = read(Path.of("/proc/stat")).lines().findFirst().orElseThrow().trim().split("\\s+");
        long busy = 0;
        for (int i = 1; i < cpu.length; i++) {
            if (i != 4 && i != 5) {
                busy += Long.parseLong(cpu[i]);
            }
        }
        return busy / TICKS_PER_SECOND;
    }

    /** Total garbage-collection time of a JVM so far, from {@code jstat -gcutil} (its GCT column). */
    static double gcSeconds(long pid) {
        try {
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
            throw new IllegalStateException("no GCT column in " + lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
