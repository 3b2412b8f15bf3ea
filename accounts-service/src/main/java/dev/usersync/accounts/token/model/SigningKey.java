package dev.usersync.accounts.token.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;

/** An Ed25519 signing key of tokens or of events; its private half encrypted at rest. */
@Entity
@Table(name = "signing_keys")
public class SigningKey extends PanacheEntityBase {

    public static final String NEXT = "NEXT";
    public static final String ACTIVE = "ACTIVE";
    public static final String RETIRED = "RETIRED";

    /** What a key signs: each purpose has its own ring of NEXT, ACTIVE and RETIRED keys. */
    public enum Purpose {
        /** Tokens; a retired key is published until its last token expires. */
        TOKEN,
        /** Events of the account log; a retired key stays published for ever (auditors verify the whole log). */
        EVENT;

        public String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    @Id
    public String kid;

    /** {@link Purpose#column()}. */
    public String purpose;

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

    /** Keys of a purpose to publish now: the next, the active, and retired ones whose signatures may still matter. */
    public static List<SigningKey> published(Purpose purpose, Instant now) {
        return list("purpose = ?1 and (state in (?2, ?3) or (state = ?4 and (publishUntil is null "
                + "or publishUntil > ?5))) order by createdAt", purpose.column(), NEXT, ACTIVE, RETIRED, now);
    }
}
