package dev.usersync.accounts.account.model;

import dev.usersync.events.AccountStatus;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

/** A person's account: the source of truth every product's local user mirrors. */
@Entity
@Table(name = "accounts")
public class Account extends PanacheEntityBase {

    @Id
    public UUID id;

    public String email;

    @Column(name = "email_verified")
    public boolean emailVerified;

    public String name;

    public String locale;

    @Column(name = "time_zone")
    public String timeZone;

    @JdbcTypeCode(SqlTypes.ARRAY)
    public List<String> products = new ArrayList<>();

    @Enumerated(EnumType.STRING)
    public AccountStatus status = AccountStatus.ACTIVE;

    @JdbcTypeCode(SqlTypes.JSON)
    @Column(name = "legacy_ids")
    public Map<String, String> legacyIds = new TreeMap<>();

    /** Sequence of the account's last event; the next one takes this plus one. */
    @Column(name = "last_sequence")
    public long lastSequence;

    /** Hash of the account's last event, which the next one links to. */
    @Column(name = "last_hash")
    public String lastHash;

    /** The account's last event exactly as published (signed), for sync-on-miss; null before signed events. */
    @Column(name = "last_event")
    public String lastEvent;

    /** The product the person signed up from. */
    @Column(name = "signup_product")
    public String signupProduct;

    /** The digest ({@code SignUpContext.digest}) of the invitation reference the person signed up through, if any. */
    @Column(name = "signup_invitation")
    public String signupInvitation;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    @Column(name = "closed_at")
    public Instant closedAt;

    /** The account, locked until the transaction ends, so its events are numbered one at a time. */
    public static Optional<Account> lock(UUID id) {
        return Optional.ofNullable(getEntityManager().find(Account.class, id, LockModeType.PESSIMISTIC_WRITE));
    }

    /** The open account with this address, compared case-insensitively. */
    public static Optional<Account> findOpenByEmail(String email) {
        return find("lower(email) = lower(?1) and status = ?2", email, AccountStatus.ACTIVE).firstResultOptional();
    }

    public boolean isOpen() {
        return status == AccountStatus.ACTIVE;
    }
}
