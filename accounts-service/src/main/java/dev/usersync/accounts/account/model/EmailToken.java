package dev.usersync.accounts.account.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A one-time link sent by email, stored as the SHA-256 of its token. */
@Entity
@Table(name = "email_tokens")
public class EmailToken extends PanacheEntityBase {

    public static final String VERIFY_EMAIL = "verify-email";
    public static final String RESET_PASSWORD = "reset-password";
    /** Sent to the old address when the email changes; {@link #email} is the address it restores. */
    public static final String UNDO_EMAIL_CHANGE = "undo-email-change";

    @Id
    @Column(name = "token_hash")
    public String tokenHash;

    @Column(name = "account_id")
    public UUID accountId;

    public String purpose;

    public String email;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "used_at")
    public Instant usedAt;

    /** The unused, unexpired token of this purpose with this hash, locked so it is used once. */
    public static Optional<EmailToken> lockUsable(String tokenHash, String purpose, Instant now) {
        return usable(tokenHash, purpose, now).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }

    /** The unused, unexpired token of this purpose with this hash, not locked (a cheap check before costly work). */
    public static Optional<EmailToken> findUsable(String tokenHash, String purpose, Instant now) {
        return usable(tokenHash, purpose, now).firstResultOptional();
    }

    /** The usable link of this purpose that expires first (the earliest sent), locked. */
    public static EmailToken earliestUsable(UUID accountId, String purpose, Instant now) {
        return find("accountId = ?1 and purpose = ?2 and usedAt is null and expiresAt > ?3 order by expiresAt",
                accountId, purpose, now).withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
    }

    /** Spends every unused link of these purposes of the account: a credential change ends what was sent before. */
    public static void invalidate(UUID accountId, List<String> purposes, Instant now) {
        update("usedAt = ?1 where accountId = ?2 and purpose in ?3 and usedAt is null", now, accountId, purposes);
    }

    private static io.quarkus.hibernate.orm.panache.PanacheQuery<EmailToken> usable(String tokenHash, String purpose,
            Instant now) {
        return find("tokenHash = ?1 and purpose = ?2 and usedAt is null and expiresAt > ?3", tokenHash, purpose, now);
    }
}
