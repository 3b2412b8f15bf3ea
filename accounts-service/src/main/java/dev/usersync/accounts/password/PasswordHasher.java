package dev.usersync.accounts.password;

import dev.usersync.accounts.config.AccountsConfig;
import dev.usersync.web.Problem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Password hashes: Argon2id for everything we write (PHC string format), bcrypt only to verify hashes imported from
 * legacy products, which are re-hashed with Argon2id on the next successful login.
 *
 * <p>Argon2id is {@link Argon2id}, which keeps each hashing thread's memory from hash to hash. Every hash and
 * verification runs on a pool of {@code accounts.argon2.threads} threads (the cores) with a queue of
 * {@code accounts.argon2.queue}: an Argon2id hash holds {@code memory-kib} of heap for its whole run, so a burst of
 * sign-ups or logins must never run them all at once. When the queue is full the request is refused at once with 503
 * and {@code Retry-After} rather than exhausting the heap or the CPU.
 */
@ApplicationScoped
public class PasswordHasher {

    public static final String ARGON2ID = "argon2id";
    public static final String BCRYPT = "bcrypt";

    private static final Pattern PHC = Pattern.compile(
            "^\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)$");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    private static final int SALT_BYTES = 16;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final int HASH_BYTES = 32;

    private final SecureRandom random = new SecureRandom();
    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    /** Where hashes run; {@code null}: on the caller's thread (measuring the bare hash). */
    private final ThreadPoolExecutor pool;
    private final Counter refused;
    /** Wall time of each hash on its thread, and the CPU time the hashing threads spent. */
    private final Timer hashing;
    private final Counter hashingCpu;
    /** Verified against when an email names no account, so that answer takes as long as a wrong password. */
    private final String decoy;

    @Inject
    public PasswordHasher(AccountsConfig config, MeterRegistry registry) {
        AccountsConfig.Argon2 argon2 = config.argon2();
        this.memoryKib = argon2.memoryKib();
        this.iterations = argon2.iterations();
        this.parallelism = argon2.parallelism();
        this.pool = pool(argon2.threads().orElse(Runtime.getRuntime().availableProcessors()), argon2.queue());
        Gauge.builder("accounts.password.hashing.queued", pool, p -> p.getQueue().size())
                .description("Password hashes waiting for a hashing thread").register(registry);
        this.refused = Counter.builder("accounts.password.hashing.refused")
                .description("Requests answered 503 because the password hashing queue was full").register(registry);
        this.hashing = Timer.builder("accounts.password.hashing")
                .description("Time of one password hash on a hashing thread").register(registry);
        this.hashingCpu = Counter.builder("accounts.password.hashing.cpu").baseUnit("seconds")
                .description("CPU time the hashing threads spent hashing").register(registry);
        this.decoy = hash("decoy password for unknown accounts");
    }

    /** Hashes on the caller's thread, for measuring the bare hash. */
    public PasswordHasher(int memoryKib, int iterations, int parallelism) {
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.pool = null;
        this.refused = null;
        this.hashing = null;
        this.hashingCpu = null;
        this.decoy = hash("decoy password for unknown accounts");
    }

    /** A new Argon2id hash of {@code password} with a fresh salt and the configured cost. */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] out = onPool(() -> argon2(password, salt, memoryKib, iterations, parallelism, HASH_BYTES));
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$"
                + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
    }

    /** Whether {@code password} matches {@code stored}, hashed with {@code algorithm}; false if unreadable. */
    public boolean verify(String algorithm, String stored, String password) {
        if (BCRYPT.equals(algorithm)) {
            return onPool(() -> {
                try {
                    return OpenBSDBCrypt.checkPassword(stored, password.toCharArray());
                } catch (IllegalArgumentException e) {
                    return false;
                }
            });
        }
        Matcher phc = PHC.matcher(stored);
        if (!ARGON2ID.equals(algorithm) || !phc.matches()) {
            return false;
        }
        byte[] expected = B64D.decode(phc.group(5));
        byte[] actual = onPool(() -> argon2(password, B64D.decode(phc.group(4)), Integer.parseInt(phc.group(1)),
                Integer.parseInt(phc.group(2)), Integer.parseInt(phc.group(3)), expected.length));
        return MessageDigest.isEqual(expected, actual);
    }

    /** Spends one verification's time without an account: unknown emails answer as slowly as wrong passwords. */
    public void verifyDecoy(String password) {
        verify(ARGON2ID, decoy, password);
    }

    /** Whether a stored hash should be replaced by one with today's algorithm and cost after a successful login. */
    public boolean needsRehash(String algorithm, String stored) {
        if (!ARGON2ID.equals(algorithm)) {
            return true;
        }
        Matcher phc = PHC.matcher(stored);
        return !phc.matches() || Integer.parseInt(phc.group(1)) != memoryKib
                || Integer.parseInt(phc.group(2)) != iterations || Integer.parseInt(phc.group(3)) != parallelism;
    }

    public String parameters() {
        return "m=" + memoryKib + " KiB, t=" + iterations + ", p=" + parallelism;
    }

    /** Runs a hash on the pool and waits for it; 503 at once when the queue is full. */
    private <T> T onPool(Callable<T> hash) {
        if (pool == null) {
            try {
                return hash.call();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        Future<T> running;
        try {
            running = pool.submit(() -> {
                long cpu = THREADS.getCurrentThreadCpuTime();
                long started = System.nanoTime();
                try {
                    return hash.call();
                } finally {
                    hashing.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                    hashingCpu.increment((THREADS.getCurrentThreadCpuTime() - cpu) / 1e9);
                }
            });
        } catch (RejectedExecutionException full) {
            refused.increment();
            throw new Problem(503, "busy", "Service unavailable", "too many passwords are being checked right now; "
                    + "try again in a moment").header("Retry-After", "1");
        }
        try {
            return running.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            running.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while hashing", e);
        }
    }

    private static ThreadPoolExecutor pool(int threads, int queue) {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue),
                work -> {
                    Thread thread = new Thread(work, "argon2-" + count.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    private static byte[] argon2(String password, byte[] salt, int memoryKib, int iterations, int parallelism,
            int length) {
        return Argon2id.hash(password.getBytes(StandardCharsets.UTF_8), salt, memoryKib, iterations, parallelism,
                length);
    }
}
