package dev.usersync.accounts.oauth.model;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.LockModeType;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/** An OAuth authorization code, stored as the SHA-256 of the code, with the PKCE challenge it must meet. */
@Entity
@Table(name = "authorization_codes")
public class AuthorizationCode extends PanacheEntityBase {

    @Id
    @Column(name = "code_hash")
    public String codeHash;

    @Column(name = "client_id")
    public String clientId;

    @Column(name = "redirect_uri")
    public String redirectUri;

    @Column(name = "code_challenge")
    public String codeChallenge;

    @Column(name = "account_id")
    public UUID accountId;

    @Column(name = "expires_at")
    public Instant expiresAt;

    /** The browser session that approved the code; the code is refused once it has ended. */
    @Column(name = "session_id")
    public UUID sessionId;

    /** The scope granted, space-separated. */
    public String scope;

    /** The app's {@code nonce}, repeated in the ID token. */
    public String nonce;

    /** The account's credential version when the code was approved: a credential change since voids the code. */
    @Column(name = "credential_version")
    public Integer credentialVersion;

    @Column(name = "used_at")
    public Instant usedAt;

    /** The app session the code was exchanged for: a replay of the code ends it. */
    @Column(name = "issued_session_id")
    public UUID issuedSessionId;

    public static Optional<AuthorizationCode> lock(String codeHash) {
        return find("codeHash", codeHash).withLock(LockModeType.PESSIMISTIC_WRITE).firstResultOptional();
    }
}
