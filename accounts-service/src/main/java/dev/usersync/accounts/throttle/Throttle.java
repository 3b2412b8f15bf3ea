package dev.usersync.accounts.throttle;

import dev.usersync.accounts.config.AccountsConfig;
import dev.usersync.accounts.secret.Secrets;
import dev.usersync.accounts.web.RequestInfo;
import dev.usersync.web.Problem;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Brute-force protection with progressive back-off. Every attempt is reserved before the password is checked: one
 * transaction locks the attempt's counters, refuses with 429 if any is backing off, and counts the attempt, so any
 * number of parallel attempts get exactly as many password checks as the counters allow. A success gives the attempt
 * back. Counters (in PostgreSQL, so every replica sees the same):
 * <ul>
 * <li>the account from this client: by the submitted email (so an unknown email is throttled exactly like a known one)
 * and the client, meaning its device cookie or else its address; an attacker elsewhere exhausts only their own;</li>
 * <li>the account from clients it has never signed in on, together, with a higher allowance: it bounds an attack spread
 * over many addresses, and a device the person signed in on before is exempt, so it cannot lock them out there;</li>
 * <li>the client address, across accounts (password spraying).</li>
 * </ul>
 */
@ApplicationScoped
public class Throttle {

    private final AccountsConfig.BruteForce config;
    private final RequestInfo request;
    private final EntityManager entityManager;

    public Throttle(AccountsConfig config, RequestInfo request, EntityManager entityManager) {
        this.config = config.bruteForce();
        this.request = request;
        this.entityManager = entityManager;
    }

    /** A counter, the failures it allows before back-off, and whether a success clears it (else it gives one back). */
    public record Key(String id, int freeFailures, boolean clearedBySuccess) {
    }

    /**
     * The counters of an attempt naming {@code email} from this request's client; {@code knownDevice}: the request
     * carries the device cookie of a device this account signed in on before.
     */
    public List<Key> keys(String email, String device, boolean knownDevice) {
        String account = accountPrefix(email);
        Key client = new Key(account + (device != null ? ":device:" + Secrets.sha256Hex(device)
                : ":ip:" + request.network()), config.accountFailures(), true);
        return knownDevice ? List.of(client, ipKey())
                : List.of(client, new Key(account, config.unknownClientFailures(), false), ipKey());
    }

    public Key ipKey() {
        return new Key("ip:" + request.network(), config.ipFailures(), false);
    }

    /** The token endpoint's counter of the client address. */
    public Key tokenKey() {
        return new Key("token:" + request.network(), config.tokenFailures(), false);
    }

    private static String accountPrefix(String email) {
        return "account:" + Secrets.sha256Hex(email == null ? "" : email.trim().toLowerCase(Locale.ROOT));
    }

    /**
     * Reserves an attempt on every counter, or throws 429 with {@code Retry-After} (counting nothing) while any is
     * backing off. The attempt that reaches a counter's allowance starts its back-off, so the next waits.
     */
    public void reserve(List<Key> keys) {
        if (!config.enabled()) {
            return;
        }
        refuseFor(QuarkusTransaction.requiringNew().call(() -> {
            List<Key> ordered = keys.stream().sorted(Comparator.comparing(Key::id)).toList();
            ordered.forEach(this::ensureRow);
            long wait = 0;
            for (Key key : ordered) {
                wait = Math.max(wait, blockedFor(key, " FOR UPDATE"));
            }
            if (wait == 0) {
                ordered.forEach(this::count);
            }
            return wait;
        }));
    }

    /**
     * For attempts at secrets nobody can guess (authorization codes, refresh tokens), where only failures count: throws
     * 429 while any counter is backing off.
     */
    public void check(List<Key> keys) {
        if (config.enabled()) {
            refuseFor(QuarkusTransaction.requiringNew().call(() -> keys.stream()
                    .mapToLong(key -> blockedFor(key, "")).max().orElse(0)));
        }
    }

    /** Counts a failure of an attempt that was only {@link #check}ed. */
    public void failed(List<Key> keys) {
        if (config.enabled()) {
            QuarkusTransaction.requiringNew().run(() -> keys.stream().sorted(Comparator.comparing(Key::id))
                    .forEach(key -> {
                        ensureRow(key);
                        count(key);
                    }));
        }
    }

    private void ensureRow(Key key) {
        entityManager.createNativeQuery("INSERT INTO throttle (key, failures, last_failure) VALUES (:key, 0, now()) "
                + "ON CONFLICT (key) DO NOTHING").setParameter("key", key.id()).executeUpdate();
    }

    /** Seconds the counter is still backing off (0 when it is not); {@code lock}: " FOR UPDATE" to hold its row. */
    private long blockedFor(Key key, String lock) {
        Number seconds = (Number) entityManager.createNativeQuery("SELECT CASE WHEN blocked_until > now() THEN "
                + "greatest(1, ceil(extract(epoch FROM blocked_until - now()))) ELSE 0 END FROM throttle "
                + "WHERE key = :key" + lock)
                .setParameter("key", key.id()).getResultStream().findFirst().orElse(null);
        return seconds == null ? 0 : seconds.longValue();
    }

    /** Counts an attempt; past its free failures, a counter backs off twice as long each time. */
    private void count(Key key) {
        int failures = ((Number) entityManager.createNativeQuery("""
                UPDATE throttle SET
                    failures = CASE WHEN last_failure < now() - make_interval(secs => :window)
                                    THEN 1 ELSE failures + 1 END,
                    last_failure = now()
                WHERE key = :key RETURNING failures""")
                .setParameter("key", key.id())
                .setParameter("window", (double) config.window().toSeconds())
                .getSingleResult()).intValue();
        int over = failures - key.freeFailures();
        if (over >= 0) {
            Duration delay = config.baseDelay().multipliedBy(1L << Math.min(over, 20));
            if (delay.compareTo(config.maxDelay()) > 0) {
                delay = config.maxDelay();
            }
            entityManager.createNativeQuery(
                    "UPDATE throttle SET blocked_until = now() + make_interval(secs => :delay) WHERE key = :key")
                    .setParameter("delay", (double) delay.toMillis() / 1000)
                    .setParameter("key", key.id())
                    .executeUpdate();
        }
    }

    private static void refuseFor(long retryAfter) {
        if (retryAfter > 0) {
            throw new Problem(429, "too-many-attempts", "Too many attempts",
                    "too many failed attempts; try again in " + retryAfter + " s")
                    .header("Retry-After", Long.toString(retryAfter));
        }
    }

    /**
     * The reserved attempt succeeded: it was no failure. A counter cleared by success forgets its failures; the others
     * give the attempt back, and lift a back-off that only this attempt started.
     */
    public void succeeded(List<Key> keys) {
        if (!config.enabled()) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            for (Key key : keys.stream().sorted(Comparator.comparing(Key::id)).toList()) {
                if (key.clearedBySuccess()) {
                    entityManager.createNativeQuery("DELETE FROM throttle WHERE key = :key")
                            .setParameter("key", key.id()).executeUpdate();
                } else {
                    entityManager.createNativeQuery("""
                            UPDATE throttle SET failures = greatest(failures - 1, 0),
                                blocked_until = CASE WHEN failures - 1 < :free THEN NULL ELSE blocked_until END
                            WHERE key = :key""")
                            .setParameter("key", key.id()).setParameter("free", key.freeFailures()).executeUpdate();
                }
            }
        });
    }

    /** Forgets every failure counted against the account, from any client (a password reset, support unlocking it). */
    public void clearAccount(String email) {
        String account = accountPrefix(email);
        QuarkusTransaction.requiringNew().run(() -> entityManager
                .createNativeQuery("DELETE FROM throttle WHERE key = :account OR key LIKE :clients")
                .setParameter("account", account).setParameter("clients", account + ":%").executeUpdate());
    }
}
