package dev.usersync.accounts.throttle;

import dev.usersync.accounts.config.AccountsConfig;
import dev.usersync.web.Problem;
import dev.usersync.accounts.secret.Secrets;
import dev.usersync.accounts.web.RequestInfo;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Brute-force protection with progressive back-off, per account (keyed by the submitted email, so an unknown email
 * is throttled exactly like a known one and the answers cannot tell them apart) and per client IP. State lives in
 * PostgreSQL, so every replica sees the same counts.
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

    /** A counter and how many failures it allows before back-off. */
    public record Key(String id, int freeFailures) {
    }

    /** The counters of an attempt naming {@code email} from this request's address. */
    public List<Key> keys(String email) {
        return List.of(accountKey(email), ipKey());
    }

    public Key accountKey(String email) {
        return new Key("account:" + Secrets.sha256Hex(email == null ? "" : email.trim().toLowerCase(Locale.ROOT)),
                config.accountFailures());
    }

    public Key ipKey() {
        return new Key("ip:" + request.ip(), config.ipFailures());
    }

    /** Throws 429 with {@code Retry-After} while any of the counters is backing off. */
    public void check(List<Key> keys) {
        if (!config.enabled()) {
            return;
        }
        Number seconds = QuarkusTransaction.requiringNew().call(() -> (Number) entityManager.createNativeQuery(
                "SELECT ceil(extract(epoch FROM max(blocked_until) - now())) FROM throttle "
                        + "WHERE key IN (:keys) AND blocked_until > now()")
                .setParameter("keys", keys.stream().map(Key::id).toList())
                .getSingleResult());
        if (seconds != null) {
            long retryAfter = Math.max(1, seconds.longValue());
            throw new Problem(429, "too-many-attempts", "Too many attempts",
                    "too many failed attempts; try again in " + retryAfter + " s")
                    .header("Retry-After", Long.toString(retryAfter));
        }
    }

    /** Counts a failure on every counter; past its free failures, a counter backs off twice as long each time. */
    public void failure(List<Key> keys) {
        if (!config.enabled()) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            for (Key key : keys) {
                int failures = ((Number) entityManager.createNativeQuery("""
                        INSERT INTO throttle (key, failures, last_failure) VALUES (:key, 1, now())
                        ON CONFLICT (key) DO UPDATE SET
                            failures = CASE WHEN throttle.last_failure < now() - make_interval(secs => :window)
                                            THEN 1 ELSE throttle.failures + 1 END,
                            last_failure = now()
                        RETURNING failures""")
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
        });
    }

    /** Forgets the failures of a counter after a success (the IP counter keeps counting). */
    public void success(Key key) {
        if (!config.enabled()) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> entityManager
                .createNativeQuery("DELETE FROM throttle WHERE key = :key").setParameter("key", key.id())
                .executeUpdate());
    }
}
