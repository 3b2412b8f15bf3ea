package dev.usersync.accounts.password;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

/** Our Argon2id gives Bouncy Castle's answer (the reference) for any password, salt, cost and length. */
class Argon2idPropertiesTest {

    @Property(tries = 300)
    void everyTagEqualsBouncyCastles(@ForAll @Size(max = 40) byte[] password, @ForAll @Size(min = 8, max = 32) byte[] salt,
            @ForAll @IntRange(min = 1, max = 4) int lanes, @ForAll @IntRange(min = 0, max = 40) int extraKib,
            @ForAll @IntRange(min = 1, max = 3) int iterations, @ForAll @IntRange(min = 4, max = 130) int length) {
        int memoryKib = 8 * lanes + extraKib;

        assertThat(Argon2id.hash(password, salt, memoryKib, iterations, lanes, length))
                .isEqualTo(reference(password, salt, memoryKib, iterations, lanes, length));
    }

    @Test
    void theProductionCostGivesTheReferenceTagAndReusesItsMemory() {
        byte[] password = "correct horse battery staple".getBytes(StandardCharsets.UTF_8);
        byte[] salt = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
        byte[] expected = reference(password, salt, 19456, 2, 1, 32);

        assertThat(Argon2id.hash(password, salt, 19456, 2, 1, 32)).isEqualTo(expected);
        assertThat(Argon2id.hash(password, salt, 19456, 2, 1, 32)).as("again, on the same memory").isEqualTo(expected);
        assertThat(Argon2id.hash(password, salt, 64, 1, 2, 32)).as("a smaller cost on the same thread")
                .isEqualTo(reference(password, salt, 64, 1, 2, 32));
    }

    private static byte[] reference(byte[] password, byte[] salt, int memoryKib, int iterations, int lanes,
            int length) {
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(memoryKib)
                .withIterations(iterations).withParallelism(lanes).withSalt(salt).build());
        byte[] out = new byte[length];
        generator.generateBytes(password, out);
        return out;
    }
}
