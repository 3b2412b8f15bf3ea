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
 * Limits on requests that create accounts or send mail, in fixed windows: per client address, per email from one
 * address, and per email. The email is counted whether or not an account has it, so the answers are the same for both;
 * a refusal is 429 with {@code Retry-After} and takes nothing from any limit.
 */
@ApplicationScoped
public class RateLimits {

    /** What is limited. */
    public enum Action {
        SIGN_UP("sign-up"), PASSWORD_RESET("password-reset"), VERIFICATION_MAIL("verification-mail");

        private final String key;

        Action(String key) {
            this.key = key;
        }
    }

    private final AccountsConfig.RateLimits config;
    private final RequestInfo request;
    private final EntityManager entityManager;

    public RateLimits(AccountsConfig config, RequestInfo request, EntityManager entityManager) {
        this.config = config.rateLimits();
        this.request = request;
        this.entityManager = entityManager;
    }

    private record Limit(String key, int max) {
    }

    /** Takes one {@code action} for {@code email} from this address, or throws 429. */
    public void take(Action action, String email) {
        AccountsConfig.RateLimits.Limit limit = switch (action) {
            case SIGN_UP -> config.signUp();
            case PASSWORD_RESET -> config.passwordReset();
            case VERIFICATION_MAIL -> config.verificationMail();
        };
        String byEmail = action.key + ":email:" + Secrets.sha256Hex(email.trim().toLowerCase(Locale.ROOT));
        List<Limit> limits = List.of(
                new Limit(action.key + ":ip:" + request.network(), limit.perAddress()),
                new Limit(byEmail + ":ip:" + request.network(), limit.perEmailAndAddress()),
                new Limit(byEmail, limit.perEmail()));
        Duration window = limit.window();
        long retryAfter = QuarkusTransaction.requiringNew().call(() -> {
            long wait = 0;
            for (Limit each : limits.stream().sorted(Comparator.comparing(Limit::key)).toList()) {
                entityManager.createNativeQuery("""
                        INSERT INTO rate_limits (key, window_ends, count)
                        VALUES (:key, now() + make_interval(secs => :window), 0)
                        ON CONFLICT (key) DO UPDATE SET
                            window_ends = CASE WHEN rate_limits.window_ends <= now() THEN excluded.window_ends
                                               ELSE rate_limits.window_ends END,
                            count = CASE WHEN rate_limits.window_ends <= now() THEN 0 ELSE rate_limits.count END""")
                        .setParameter("key", each.key()).setParameter("window", (double) window.toSeconds())
                        .executeUpdate();
                Object[] row = (Object[]) entityManager.createNativeQuery("SELECT count, greatest(1, ceil(extract("
                        + "epoch FROM window_ends - now()))) FROM rate_limits WHERE key = :key FOR UPDATE")
                        .setParameter("key", each.key()).getSingleResult();
                if (((Number) row[0]).intValue() >= each.max()) {
                    wait = Math.max(wait, ((Number) row[1]).longValue());
                }
            }
            if (wait == 0) {
                for (Limit each : limits) {
                    entityManager.createNativeQuery("UPDATE rate_limits SET count = count + 1 WHERE key = :key")
                            .setParameter("key", each.key()).executeUpdate();
                }
            }
            return wait;
        });
        if (retryAfter > 0) {
            throw new Problem(429, "rate-limited", "Too many requests", "too many of these requests; try again in "
                    + retryAfter + " s").header("Retry-After", Long.toString(retryAfter));
        }
    }
}
