package dev.usersync.accounts.password;

import dev.usersync.accounts.config.AccountsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Password hashes: Argon2id for everything we write (PHC string format), bcrypt only to verify hashes imported from
 * legacy products, which are re-hashed with Argon2id on the next successful login.
 */
@ApplicationScoped
public class PasswordHasher {

    public static final String ARGON2ID = "argon2id";
    public static final String BCRYPT = "bcrypt";

    private static final Pattern PHC = Pattern.compile(
            "^\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)$");
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getDecoder();
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;

    private final SecureRandom random = new SecureRandom();
    private final int memoryKib;
    private final int iterations;
    private final int parallelism;
    /** Verified against when an email names no account, so that answer takes as long as a wrong password. */
    private final String decoy;

    @Inject
    public PasswordHasher(AccountsConfig config) {
        this(config.argon2().memoryKib(), config.argon2().iterations(), config.argon2().parallelism());
    }

    public PasswordHasher(int memoryKib, int iterations, int parallelism) {
        this.memoryKib = memoryKib;
        this.iterations = iterations;
        this.parallelism = parallelism;
        this.decoy = hash("decoy password for unknown accounts");
    }

    /** A new Argon2id hash of {@code password} with a fresh salt and the configured cost. */
    public String hash(String password) {
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        byte[] out = argon2(password, salt, memoryKib, iterations, parallelism);
        return "$argon2id$v=19$m=" + memoryKib + ",t=" + iterations + ",p=" + parallelism + "$" + B64.encodeToString(salt)
                + "$" + B64.encodeToString(out);
    }

    /** Whether {@code password} matches {@code stored}, hashed with {@code algorithm}; false for anything unreadable. */
    public boolean verify(String algorithm, String stored, String password) {
        if (BCRYPT.equals(algorithm)) {
            try {
                return OpenBSDBCrypt.checkPassword(stored, password.toCharArray());
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        Matcher phc = PHC.matcher(stored);
        if (!ARGON2ID.equals(algorithm) || !phc.matches()) {
            return false;
        }
        byte[] expected = B64D.decode(phc.group(5));
        byte[] actual = argon2(password, B64D.decode(phc.group(4)), Integer.parseInt(phc.group(1)),
                Integer.parseInt(phc.group(2)), Integer.parseInt(phc.group(3)), expected.length);
        return MessageDigest.isEqual(expected, actual);
    }

    /** Spends the time of one verification without an account, so unknown emails answer as slowly as wrong passwords. */
    public void verifyDecoy(String password) {
        verify(ARGON2ID, decoy, password);
    }

    /** Whether a stored hash should be replaced by one with today's algorithm and cost after a successful login. */
    public boolean needsRehash(String algorithm, String stored) {
        if (!ARGON2ID.equals(algorithm)) {
            return true;
        }
        Matcher phc = PHC.matcher(stored);
        return !phc.matches() || Integer.parseInt(phc.group(1)) != memoryKib
                || Integer.parseInt(phc.group(2)) != iterations || Integer.parseInt(phc.group(3)) != parallelism;
    }

    public String parameters() {
        return "m=" + memoryKib + " KiB, t=" + iterations + ", p=" + parallelism;
    }

    private static byte[] argon2(String password, byte[] salt, int memoryKib, int iterations, int parallelism) {
        return argon2(password, salt, memoryKib, iterations, parallelism, HASH_BYTES);
    }

    private static byte[] argon2(String password, byte[] salt, int memoryKib, int iterations, int parallelism,
            int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(iterations)
                .withParallelism(parallelism)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), out);
        return out;
    }
}
