package dev.usersync.accounts.token.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** An Ed25519 signing key; its private half encrypted at rest. */
@Entity
@Table(name = "signing_keys")
public class SigningKey extends PanacheEntityBase {

    public static final String NEXT = "NEXT";
    public static final String ACTIVE = "ACTIVE";
    public static final String RETIRED = "RETIRED";

    @Id
    public String kid;

    public String state;

    @Column(name = "public_key")
    public byte[] publicKey;

    @Column(name = "private_key")
    public byte[] privateKey;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "activated_at")
    public Instant activatedAt;

    @Column(name = "retired_at")
    public Instant retiredAt;

    @Column(name = "publish_until")
    public Instant publishUntil;

    /** Keys to publish now: the next, the active, and retired ones whose tokens may still be live. */
    public static List<SigningKey> published(Instant now) {
        return list("state in (?1, ?2) or (state = ?3 and publishUntil > ?4) order by createdAt", NEXT, ACTIVE,
                RETIRED, now);
    }
}
