package dev.usersync.servers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One packaged service (a Quarkus {@code quarkus-run.jar}) running as a child process, its output in a log file. */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final int port;
    private final Path log;
    private final Process process;

    private ServiceProcess(String name, int port, Path log, Process process) {
        this.name = name;
        this.port = port;
        this.log = log;
        this.process = process;
    }

    /**
     * JVM options for a service on a small machine: the budget is 256 MB resident per service under load, and the JVM's
     * defaults (a quarter of the machine's memory for the heap, G1, a 240 MB code cache) spend it on reservations a
     * service of this size does not use. The heap starts at 32 MB and grows only while less than a fifth of it is free
     * after a collection (the default starts it at its maximum here, and the adapters need far less than the accounts
     * service). {@code TrimNativeHeapInterval} (JDK 17.0.9 and later; ignored before) hands the C library's freed
     * memory back every second: the JIT compiler's scratch memory otherwise stays resident. {@code
     * jdk.nio.maxCachedBufferSize}: the JDK keeps, per thread, a direct buffer as large as the largest socket read it
     * made (a Kafka fetch is megabytes); larger ones are now freed after use. Measured with {@code
     * -XX:NativeMemoryTracking} in docs/performance-analysis.md.
     */
    public static final List<String> JVM_OPTIONS = List.of("-Xms32m", "-Xmx128m", "-XX:MinHeapFreeRatio=20",
            "-XX:MaxHeapFreeRatio=40", "-Xss512k", "-XX:+UseSerialGC", "-XX:MaxMetaspaceSize=128m",
            "-XX:ReservedCodeCacheSize=48m", "-XX:MaxDirectMemorySize=64m", "-Djdk.nio.maxCachedBufferSize=262144",
            "-XX:+IgnoreUnrecognizedVMOptions", "-XX:TrimNativeHeapInterval=1000");

    /**
     * Starts {@code jar} with {@code environment}; returns at once (see {@link #awaitReady}). The system property
     * {@code mesh.jvm} replaces {@link #JVM_OPTIONS}, for measuring other settings.
     */
    public static ServiceProcess start(String name, Path jar, int port, Map<String, String> environment, Path log) {
        if (!Files.exists(jar)) {
            throw new IllegalStateException("no packaged " + name + " at " + jar.toAbsolutePath()
                    + "; build it first (./mvnw install -DskipTests)");
        }
        try {
            Files.createDirectories(log.getParent());
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString()));
            String override = System.getProperty("mesh.jvm");
            command.addAll(override == null ? JVM_OPTIONS : List.of(override.trim().split("\\s+")));
            command.addAll(List.of("-jar", jar.toAbsolutePath().toString()));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            // glibc's per-thread malloc arenas otherwise add tens of megabytes of resident memory per service.
            builder.environment().put("MALLOC_ARENA_MAX", "2");
            builder.environment().putAll(environment);
            return new ServiceProcess(name, port, log, builder.start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    public String url() {
        return "http://localhost:" + port;
    }

    public String name() {
        return name;
    }

    /** Waits until {@code /q/health/ready} answers 200; fails if the process exits or {@code timeout} passes. */
    public ServiceProcess awaitReady(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; see " + log);
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(url() + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return this;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                process.waitFor(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        close();
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds() + " s; see " + log);
    }

    /** Kills the service at once (SIGKILL), as a crash would: nothing is finished or flushed. */
    /** The service's process id, for measuring it from outside (resident memory, garbage collection). */
    public long pid() {
        return process.pid();
    }

    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the service to stop (SIGTERM: it finishes what it is doing), then kills it after 20 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
