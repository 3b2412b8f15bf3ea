package dev.usersync.accounts.account.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.UUID;

/** An upstream identity linked to an account. */
@Entity
@Table(name = "linked_identities")
@IdClass(LinkedIdentityRow.Key.class)
public class LinkedIdentityRow extends PanacheEntityBase {

    @Id
    public String provider;

    @Id
    public String subject;

    @Column(name = "account_id")
    public UUID accountId;

    @Column(name = "linked_at")
    public Instant linkedAt;

    public record Key(String provider, String subject) implements Serializable {
        public Key() {
            this(null, null);
        }
    }
}
