package dev.usersync.accounts.token.service;

import dev.usersync.accounts.config.AccountsConfig;
import dev.usersync.accounts.token.model.SigningKey;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Security;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.jboss.logging.Logger;

/**
 * The Ed25519 key ring. There is always one ACTIVE key (signs) and one NEXT key (published, not yet signing), so a
 * rotation only starts signing with a key every verifier could already have fetched; the retired key stays published
 * until the last token it signed expires. Every replica re-reads the ring after {@code accounts.keys.cache-ttl}.
 */
@ApplicationScoped
public class SigningKeys {

    /** Bouncy Castle signs and verifies Ed25519 about ten times faster than the JDK's provider. */
    public static final String PROVIDER = BouncyCastleProvider.PROVIDER_NAME;

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    private static final long RING_LOCK = 0x5349474E4B455953L; // "SIGNKEYS"

    private final KeyEncryption encryption;
    private final Duration cacheTtl;
    private final Duration longestTokenLifetime;
    private volatile Ring ring;

    public SigningKeys(KeyEncryption encryption, AccountsConfig config) {
        this.encryption = encryption;
        this.cacheTtl = config.keys().cacheTtl();
        Duration web = config.tokens().webSession();
        Duration access = config.tokens().accessToken();
        this.longestTokenLifetime = (web.compareTo(access) > 0 ? web : access).plus(config.tokens().clockSkew());
        if (Security.getProvider(PROVIDER) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }

    /** A key that verifies tokens: every published one. */
    public record PublicKeyEntry(String kid, String state, PublicKey key) {
    }

    /** The ring as one replica currently sees it. */
    public record Ring(Instant readAt, String activeKid, PrivateKey activeKey, Map<String, PublicKeyEntry> published) {
    }

    void onStart(@Observes StartupEvent start) {
        QuarkusTransaction.requiringNew().run(this::ensureActiveAndNext);
        ring = read();
        LOG.infof("signing with key %s; publishing %s", ring.activeKid(), ring.published().keySet());
    }

    /** The current ring, re-read when older than the cache TTL. */
    public Ring ring() {
        Ring current = ring;
        if (current == null || current.readAt().plus(cacheTtl).isBefore(Instant.now())) {
            current = read();
            ring = current;
        }
        return current;
    }

    /**
     * Rotates: NEXT starts signing, ACTIVE retires (published until its last token expires), a new NEXT is made.
     * Returns the kid that signs from now on.
     */
    public String rotate() {
        String kid = QuarkusTransaction.requiringNew().call(() -> {
            lockRing();
            Instant now = Instant.now();
            SigningKey.<SigningKey>list("state", SigningKey.ACTIVE).forEach(active -> {
                active.state = SigningKey.RETIRED;
                active.retiredAt = now;
                active.publishUntil = now.plus(longestTokenLifetime);
            });
            SigningKey.getEntityManager().flush();
            SigningKey next = SigningKey.<SigningKey>find("state", SigningKey.NEXT).firstResult();
            next.state = SigningKey.ACTIVE;
            next.activatedAt = now;
            SigningKey.getEntityManager().flush();
            create(SigningKey.NEXT).persist();
            return next.kid;
        });
        ring = read();
        LOG.infof("rotated signing keys: %s signs now", kid);
        return kid;
    }

    private void ensureActiveAndNext() {
        lockRing();
        if (SigningKey.count("state", SigningKey.ACTIVE) == 0) {
            SigningKey active = create(SigningKey.ACTIVE);
            active.activatedAt = active.createdAt;
            active.persist();
        }
        if (SigningKey.count("state", SigningKey.NEXT) == 0) {
            create(SigningKey.NEXT).persist();
        }
    }

    /** Serialises ring changes across replicas for the rest of the transaction. */
    private static void lockRing() {
        SigningKey.getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(?1)")
                .setParameter(1, RING_LOCK).getSingleResult();
    }

    private SigningKey create(String state) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            SigningKey key = new SigningKey();
            key.kid = LocalDate.now(ZoneOffset.UTC) + "-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
            key.state = state;
            key.publicKey = pair.getPublic().getEncoded();
            key.privateKey = encryption.encrypt(pair.getPrivate().getEncoded(), key.kid);
            key.createdAt = Instant.now();
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is unavailable", e);
        }
    }

    private Ring read() {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now();
            Map<String, PublicKeyEntry> published = new LinkedHashMap<>();
            String activeKid = null;
            PrivateKey activeKey = null;
            List<SigningKey> keys = SigningKey.published(now);
            for (SigningKey key : keys) {
                published.put(key.kid, new PublicKeyEntry(key.kid, key.state, publicKey(key.publicKey)));
                if (SigningKey.ACTIVE.equals(key.state)) {
                    activeKid = key.kid;
                    activeKey = privateKey(encryption.decrypt(key.privateKey, key.kid));
                }
            }
            if (activeKey == null) {
                throw new IllegalStateException("no active signing key");
            }
            return new Ring(now, activeKid, activeKey, Map.copyOf(published));
        });
    }

    private static PublicKey publicKey(byte[] x509) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored public key is unreadable", e);
        }
    }

    /**
     * Read by Bouncy Castle, which signs with it: a JDK key would be translated into Bouncy Castle's form, and its
     * public half derived again, on every signature.
     */
    private static PrivateKey privateKey(byte[] pkcs8) {
        try {
            return KeyFactory.getInstance("Ed25519", PROVIDER).generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("a stored private key is unreadable", e);
        }
    }
}
