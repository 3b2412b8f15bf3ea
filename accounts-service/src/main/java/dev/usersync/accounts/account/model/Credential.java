package dev.usersync.accounts.account.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An account's password hash and the algorithm that made it. */
@Entity
@Table(name = "credentials")
public class Credential extends PanacheEntityBase {

    @Id
    @Column(name = "account_id")
    public UUID accountId;

    public String algorithm;

    public String hash;

    @Column(name = "updated_at")
    public Instant updatedAt;

    /** Moves with every credential change; a login or code begun under an older version cannot finish. */
    public int version;

    /** Set when support forced a reset: the password no longer signs in until a new one is set from the link. */
    @Column(name = "reset_required")
    public boolean resetRequired;

    /** Replaces the password hash: a new version, and any forced reset is done. */
    public void replace(String algorithm, String hash) {
        this.algorithm = algorithm;
        this.hash = hash;
        this.resetRequired = false;
        changed();
    }

    /** Records a credential change that leaves the password as it is (an email change, a forced reset). */
    public void changed() {
        this.version++;
        this.updatedAt = Instant.now();
    }

    public static Credential lock(UUID accountId) {
        return Credential.<Credential>findByIdOptional(accountId, LockModeType.PESSIMISTIC_WRITE).orElseThrow();
    }

    public static Credential of(UUID accountId, String algorithm, String hash) {
        Credential credential = new Credential();
        credential.accountId = accountId;
        credential.algorithm = algorithm;
        credential.hash = hash;
        credential.updatedAt = Instant.now();
        credential.version = 1;
        return credential;
    }
}
