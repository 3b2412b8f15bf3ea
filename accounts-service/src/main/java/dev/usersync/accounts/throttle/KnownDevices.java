package dev.usersync.accounts.throttle;

import dev.usersync.accounts.secret.Secrets;
import dev.usersync.accounts.web.RequestInfo;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import java.util.UUID;

/**
 * Devices (browsers) a person signed in on, by a long-lived random cookie that names nothing but itself. Only its
 * SHA-256 is stored, per account, so one browser can be known to several accounts.
 */
@ApplicationScoped
public class KnownDevices {

    /** Asked for in place of an unknown email's account, so both cost the same query. */
    private static final UUID NOBODY = new UUID(0, 0);

    private final RequestInfo request;
    private final EntityManager entityManager;

    public KnownDevices(RequestInfo request, EntityManager entityManager) {
        this.request = request;
        this.entityManager = entityManager;
    }

    /** This request's device cookie, or {@code null}. */
    public String current() {
        return request.device();
    }

    public boolean known(UUID accountId, String device) {
        return QuarkusTransaction.requiringNew().call(() -> !entityManager
                .createNativeQuery("SELECT 1 FROM known_devices WHERE account_id = :account AND device_hash = :hash")
                .setParameter("account", accountId == null ? NOBODY : accountId)
                .setParameter("hash", Secrets.sha256Hex(device == null ? "" : device))
                .getResultList().isEmpty()) && accountId != null && device != null;
    }

    /**
     * Remembers this request's device for the account after a sign-in; returns a new device cookie value when the
     * request had none, {@code null} otherwise.
     */
    public String remember(UUID accountId) {
        String device = request.device();
        String issued = device == null ? Secrets.newToken() : null;
        String hash = Secrets.sha256Hex(device == null ? issued : device);
        QuarkusTransaction.requiringNew().run(() -> entityManager.createNativeQuery("""
                INSERT INTO known_devices (account_id, device_hash, first_seen, last_seen)
                VALUES (:account, :hash, now(), now())
                ON CONFLICT (account_id, device_hash) DO UPDATE SET last_seen = now()""")
                .setParameter("account", accountId).setParameter("hash", hash).executeUpdate());
        return issued;
    }
}
