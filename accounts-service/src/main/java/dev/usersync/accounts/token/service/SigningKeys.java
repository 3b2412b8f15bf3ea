package dev.usersync.accounts.token.service;

import dev.usersync.accounts.config.AccountsConfig;
import dev.usersync.accounts.token.model.SigningKey;
import dev.usersync.accounts.token.model.SigningKey.Purpose;
import dev.usersync.events.EventSigner;
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
import java.security.SecureRandom;
import java.security.Security;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.jboss.logging.Logger;

/**
 * The Ed25519 key rings, one per {@link Purpose}: tokens, and events of the account log. Each ring always has one
 * ACTIVE key (signs) and one NEXT key (published, not yet signing), so a rotation only starts signing with a key every
 * verifier could already have fetched. A retired token key stays published until the last token it signed expires; a
 * retired event key for ever, since auditors verify the log from its beginning. Every replica re-reads a ring after
 * {@code accounts.keys.cache-ttl}.
 */
@ApplicationScoped
public class SigningKeys {

    /** Bouncy Castle signs and verifies Ed25519 about ten times faster than the JDK's provider. */
    public static final String PROVIDER = BouncyCastleProvider.PROVIDER_NAME;

    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    private static final long RING_LOCK = 0x5349474E4B455953L; // "SIGNKEYS"
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyEncryption encryption;
    private final Duration cacheTtl;
    private final Duration longestTokenLifetime;
    private final Map<Purpose, Ring> rings = new ConcurrentHashMap<>();

    public SigningKeys(KeyEncryption encryption, AccountsConfig config) {
        this.encryption = encryption;
        this.cacheTtl = config.keys().cacheTtl();
        this.longestTokenLifetime = config.tokens().longestLifetime();
        if (Security.getProvider(PROVIDER) == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
    }

    /** A key that verifies tokens: every published one. */
    public record PublicKeyEntry(String kid, String state, PublicKey key) {
    }

    /**
     * A ring as one replica currently sees it. The active key is held twice: as a Bouncy Castle JCA key for jose4j
     * (tokens) and as an {@link EventSigner} (events).
     */
    public record Ring(Instant readAt, String activeKid, PrivateKey activeKey, EventSigner signer,
            Map<String, PublicKeyEntry> published) {
    }

    void onStart(@Observes StartupEvent start) {
        for (Purpose purpose : Purpose.values()) {
            QuarkusTransaction.requiringNew().run(() -> ensureActiveAndNext(purpose));
            Ring ring = ring(purpose);
            LOG.infof("signing %s with key %s; publishing %s", purpose.column() + "s", ring.activeKid(),
                    ring.published().keySet());
        }
    }

    /** The current ring of a purpose, re-read when older than the cache TTL. */
    public Ring ring(Purpose purpose) {
        Ring current = rings.get(purpose);
        if (current == null || current.readAt().plus(cacheTtl).isBefore(Instant.now())) {
            current = read(purpose);
            rings.put(purpose, current);
        }
        return current;
    }

    /**
     * Rotates a ring: NEXT starts signing, ACTIVE retires (a token key published until its last token expires, an
     * event key for ever), a new NEXT is made. Returns the kid that signs from now on.
     */
    public String rotate(Purpose purpose) {
        String kid = QuarkusTransaction.requiringNew().call(() -> {
            lockRing();
            Instant now = Instant.now();
            SigningKey.<SigningKey>list("purpose = ?1 and state = ?2", purpose.column(), SigningKey.ACTIVE)
                    .forEach(active -> {
                        active.state = SigningKey.RETIRED;
                        active.retiredAt = now;
                        active.publishUntil = purpose == Purpose.TOKEN ? now.plus(longestTokenLifetime) : null;
                    });
            SigningKey.getEntityManager().flush();
            SigningKey next = SigningKey.<SigningKey>find("purpose = ?1 and state = ?2", purpose.column(),
                    SigningKey.NEXT).firstResult();
            next.state = SigningKey.ACTIVE;
            next.activatedAt = now;
            SigningKey.getEntityManager().flush();
            create(purpose, SigningKey.NEXT).persist();
            return next.kid;
        });
        rings.put(purpose, read(purpose));
        LOG.infof("rotated the %s signing keys: %s signs now", purpose.column(), kid);
        return kid;
    }

    private void ensureActiveAndNext(Purpose purpose) {
        lockRing();
        if (SigningKey.count("purpose = ?1 and state = ?2", purpose.column(), SigningKey.ACTIVE) == 0) {
            SigningKey active = create(purpose, SigningKey.ACTIVE);
            active.activatedAt = active.createdAt;
            active.persist();
        }
        if (SigningKey.count("purpose = ?1 and state = ?2", purpose.column(), SigningKey.NEXT) == 0) {
            create(purpose, SigningKey.NEXT).persist();
        }
    }

    /** Serialises ring changes across replicas for the rest of the transaction. */
    private static void lockRing() {
        SigningKey.getEntityManager().createNativeQuery("SELECT pg_advisory_xact_lock(?1)")
                .setParameter(1, RING_LOCK).getSingleResult();
    }

    private SigningKey create(Purpose purpose, String state) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            SigningKey key = new SigningKey();
            key.kid = (purpose == Purpose.EVENT ? "event-" : "") + LocalDate.now(ZoneOffset.UTC) + "-"
                    + HexFormat.of().toHexDigits(RANDOM.nextInt());
            key.purpose = purpose.column();
            key.state = state;
            key.publicKey = pair.getPublic().getEncoded();
            key.privateKey = encryption.encrypt(pair.getPrivate().getEncoded(), key.kid);
            key.createdAt = Instant.now();
            return key;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 is unavailable", e);
        }
    }

    private Ring read(Purpose purpose) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Instant now = Instant.now();
            Map<String, PublicKeyEntry> published = new LinkedHashMap<>();
            String activeKid = null;
            byte[] activeKey = null;
            for (SigningKey key : SigningKey.published(purpose, now)) {
                published.put(key.kid, new PublicKeyEntry(key.kid, key.state, publicKey(key.publicKey)));
                if (SigningKey.ACTIVE.equals(key.state)) {
                    activeKid = key.kid;
                    activeKey = encryption.decrypt(key.privateKey, key.kid);
                }
            }
            if (activeKey == null) {
                throw new IllegalStateException("no active " + purpose.column() + " signing key");
            }
            return new Ring(now, activeKid, privateKey(activeKey), EventSigner.of(activeKid, activeKey),
                    Collections.unmodifiableMap(published));
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
