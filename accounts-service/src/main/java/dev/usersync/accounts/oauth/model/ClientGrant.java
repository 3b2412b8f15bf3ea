package dev.usersync.accounts.oauth.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** A person's approval of an app, and the scope they approved. */
@Entity
@Table(name = "client_grants")
public class ClientGrant extends PanacheEntityBase {

    @Embeddable
    public record Id(@Column(name = "account_id") UUID accountId, @Column(name = "client_id") String clientId)
            implements Serializable {
    }

    @EmbeddedId
    public Id id;

    public String scope;

    @Column(name = "granted_at")
    public Instant grantedAt;

    public static ClientGrant of(UUID accountId, String clientId) {
        return findById(new Id(accountId, clientId));
    }

    /** Records the approval of {@code scope}, widening an earlier one. */
    public static void remember(UUID accountId, String clientId, String scope, Instant now) {
        getEntityManager().createNativeQuery("""
                INSERT INTO client_grants (account_id, client_id, scope, granted_at) VALUES (?1, ?2, ?3, ?4)
                ON CONFLICT (account_id, client_id) DO UPDATE SET granted_at = excluded.granted_at,
                    scope = coalesce((SELECT string_agg(DISTINCT s, ' ' ORDER BY s) FROM unnest(string_to_array(
                        client_grants.scope || ' ' || excluded.scope, ' ')) AS s WHERE s <> ''), '')""")
                .setParameter(1, accountId).setParameter(2, clientId).setParameter(3, scope).setParameter(4, now)
                .executeUpdate();
    }
}
