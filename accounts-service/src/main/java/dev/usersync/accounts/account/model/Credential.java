package dev.usersync.accounts.account.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
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

    public static Credential of(UUID accountId, String algorithm, String hash) {
        Credential credential = new Credential();
        credential.accountId = accountId;
        credential.algorithm = algorithm;
        credential.hash = hash;
        credential.updatedAt = Instant.now();
        return credential;
    }
}
