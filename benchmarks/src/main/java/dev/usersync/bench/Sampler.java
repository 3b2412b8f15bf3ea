package dev.usersync.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Samples every service's resident memory once a second for the whole run, so the report can give each service's
 * peak during every step and over the run (memory is measured with the throughput, never in a separate run).
 */
final class Sampler implements AutoCloseable {

    private final Map<String, Long> pids;
    private final Map<String, Long> peakOfRun = new ConcurrentHashMap<>();
    private final Map<String, Long> peakOfStep = new ConcurrentHashMap<>();
    private final Map<String, List<double[]>> series = new ConcurrentHashMap<>();
    private final long started = System.nanoTime();
    private final Thread thread;
    private volatile boolean running = true;

    Sampler(Map<String, Long> pids) {
        this.pids = new LinkedHashMap<>(pids);
        this.thread = new Thread(this::sample, "memory-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    /** Starts a new step: its peaks are counted from now. */
    void newStep() {
        peakOfStep.clear();
        sampleOnce();
    }

    /** Each service's peak resident MB since {@link #newStep()}. */
    Map<String, Long> stepPeaks() {
        sampleOnce();
        return ordered(peakOfStep);
    }

    /** Each service's peak resident MB over the whole run. */
    Map<String, Long> runPeaks() {
        return ordered(peakOfRun);
    }

    /** Every sample: per service, (seconds since the sampler started, resident MB). */
    Map<String, List<double[]>> series() {
        Map<String, List<double[]>> ordered = new LinkedHashMap<>();
        pids.keySet().forEach(name -> ordered.put(name, List.copyOf(series.getOrDefault(name, List.of()))));
        return ordered;
    }

    private Map<String, Long> ordered(Map<String, Long> peaks) {
        Map<String, Long> ordered = new LinkedHashMap<>();
        pids.keySet().forEach(name -> ordered.put(name, peaks.getOrDefault(name, -1L)));
        return ordered;
    }

    private void sample() {
        while (running) {
            sampleOnce();
            try {
                Thread.sleep(1000); // a sampling period, not synchronisation
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sampleOnce() {
        pids.forEach((name, pid) -> {
            long mb = Processes.residentMb(pid);
            peakOfRun.merge(name, mb, Math::max);
            peakOfStep.merge(name, mb, Math::max);
            series.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>())
                    .add(new double[] {(System.nanoTime() - started) / 1e9, mb});
        });
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
