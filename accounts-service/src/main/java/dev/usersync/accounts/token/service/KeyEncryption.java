package dev.usersync.accounts.token.service;

import dev.usersync.accounts.config.AccountsConfig;
import io.quarkus.runtime.LaunchMode;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.jboss.logging.Logger;

/**
 * Encrypts signing keys at rest with AES-256-GCM under the configured key; the key id is authenticated data, so a
 * ciphertext moved to another row does not decrypt. Without a configured key, dev and test generate one at first
 * start into a local file (never committed); production refuses to start.
 */
@ApplicationScoped
public class KeyEncryption {

    private static final Logger LOG = Logger.getLogger(KeyEncryption.class);
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecureRandom random = new SecureRandom();
    private final SecretKey key;

    public KeyEncryption(AccountsConfig config) {
        byte[] raw = config.keys().encryptionKey()
                .map(encoded -> Base64.getDecoder().decode(encoded.trim()))
                .orElseGet(() -> devKey(Path.of(config.keys().devKeyFile())));
        if (raw.length != 32) {
            throw new IllegalStateException("accounts.keys.encryption-key must be 32 bytes, base64-encoded");
        }
        this.key = new SecretKeySpec(raw, "AES");
    }

    /** A secret for {@code purpose} derived from the configured key (HMAC-SHA256), shared by every replica. */
    public byte[] derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    public byte[] encrypt(byte[] plain, String kid) {
        byte[] iv = new byte[IV_BYTES];
        random.nextBytes(iv);
        byte[] sealed = cipher(Cipher.ENCRYPT_MODE, iv, kid).doFinalUnchecked(plain);
        return ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array();
    }

    public byte[] decrypt(byte[] stored, String kid) {
        ByteBuffer in = ByteBuffer.wrap(stored);
        byte[] iv = new byte[IV_BYTES];
        in.get(iv);
        byte[] sealed = new byte[in.remaining()];
        in.get(sealed);
        return cipher(Cipher.DECRYPT_MODE, iv, kid).doFinalUnchecked(sealed);
    }

    private Gcm cipher(int mode, byte[] iv, String kid) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, iv));
            cipher.updateAAD(kid.getBytes(StandardCharsets.UTF_8));
            return new Gcm(cipher);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
    }

    private record Gcm(Cipher cipher) {
        byte[] doFinalUnchecked(byte[] input) {
            try {
                return cipher.doFinal(input);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("a signing key does not decrypt with the configured encryption key", e);
            }
        }
    }

    private byte[] devKey(Path file) {
        if (!LaunchMode.current().isDevOrTest()) {
            throw new IllegalStateException("set accounts.keys.encryption-key (32 random bytes, base64) to run in "
                    + "production; only dev and test generate one");
        }
        try {
            if (Files.exists(file)) {
                return Base64.getDecoder().decode(Files.readString(file).trim());
            }
            byte[] raw = new byte[32];
            random.nextBytes(raw);
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, Base64.getEncoder().encodeToString(raw));
            LOG.infof("generated a dev encryption key for signing keys at %s", file.toAbsolutePath());
            return raw;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the dev encryption key " + file, e);
        }
    }
}
