package dev.usersync.accounts.session.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A signed-in session: a browser's (web) or a native app's (oauth). Tokens name it in their {@code sid}. */
@Entity
@Table(name = "sessions")
public class Session extends PanacheEntityBase {

    public static final String WEB = "web";
    public static final String OAUTH = "oauth";

    @Id
    public UUID id;

    @Column(name = "account_id")
    public UUID accountId;

    public String kind;

    @Column(name = "client_id")
    public String clientId;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    /** When the owner last proved their password for this session (its tokens' {@code auth_time}). */
    @Column(name = "auth_time")
    public Instant authTime;

    /** An app's session: the scope its tokens carry, space-separated. */
    public String scope;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoked_reason")
    public String revokedReason;

    public boolean isLive(Instant now) {
        return revokedAt == null && expiresAt.isAfter(now);
    }

    public static List<Session> openOf(UUID accountId) {
        return list("accountId = ?1 and revokedAt is null", accountId);
    }
}
