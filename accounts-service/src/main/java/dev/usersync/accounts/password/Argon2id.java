package dev.usersync.accounts.password;

import java.util.Arrays;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/**
 * Argon2id (RFC 9106, version 0x13) over one {@code long[]} of memory that its thread keeps from hash to hash. Bouncy
 * Castle's generator allocates its memory as one object per 1 KiB block on every hash: at 19 MiB a hash that is about
 * twenty thousand objects that live for the whole hash, which a small heap's young collections copy again and again
 * (measured: sign-ups spent half their time collecting). Here a hashing thread allocates its memory once; a hash
 * allocates a few kilobytes. Bouncy Castle's Blake2b does the hashing around the memory, and its Argon2 generator is
 * the reference this one is tested against.
 */
final class Argon2id {

    private static final int TYPE = 2;
    private static final int VERSION = 0x13;
    private static final int SYNC_POINTS = 4;
    private static final int WORDS = 128;
    private static final int BLOCK_BYTES = WORDS * 8;

    /** The memory of the hashes on this thread, grown to the largest cost it has seen. */
    private static final ThreadLocal<long[]> MEMORY = ThreadLocal.withInitial(() -> new long[0]);

    private final long[] r = new long[WORDS];
    private final long[] z = new long[WORDS];
    private final long[] address = new long[WORDS];
    private final long[] input = new long[WORDS];
    private final long[] zero = new long[WORDS];
    private final int lanes;
    private final int iterations;
    private final int segmentLength;
    private final int laneLength;
    private final int blocks;
    private long[] memory;

    private Argon2id(int memoryKib, int iterations, int lanes) {
        if (lanes < 1 || iterations < 1 || memoryKib < 8 * lanes) {
            throw new IllegalArgumentException("Argon2id needs at least one lane, one pass and 8 KiB per lane");
        }
        this.lanes = lanes;
        this.iterations = iterations;
        this.segmentLength = memoryKib / (lanes * SYNC_POINTS);
        this.laneLength = segmentLength * SYNC_POINTS;
        this.blocks = laneLength * lanes;
    }

    /** The {@code length}-byte Argon2id tag of {@code password} and {@code salt} at this cost. */
    static byte[] hash(byte[] password, byte[] salt, int memoryKib, int iterations, int lanes, int length) {
        Argon2id argon2 = new Argon2id(memoryKib, iterations, lanes);
        long[] memory = MEMORY.get();
        if (memory.length < argon2.blocks * WORDS) {
            memory = new long[argon2.blocks * WORDS];
            MEMORY.set(memory);
        }
        argon2.memory = memory;
        try {
            argon2.fillFirstBlocks(argon2.initialHash(password, salt, memoryKib, length));
            argon2.fillMemory();
            return argon2.tag(length);
        } finally {
            Arrays.fill(memory, 0, argon2.blocks * WORDS, 0L);
        }
    }

    /** H0: Blake2b-512 of the parameters, the password and the salt (no secret, no associated data). */
    private byte[] initialHash(byte[] password, byte[] salt, int memoryKib, int length) {
        Blake2bDigest blake = new Blake2bDigest(512);
        for (int value : new int[] {lanes, length, memoryKib, iterations, VERSION, TYPE, password.length}) {
            update(blake, value);
        }
        blake.update(password, 0, password.length);
        update(blake, salt.length);
        blake.update(salt, 0, salt.length);
        update(blake, 0);
        update(blake, 0);
        byte[] h0 = new byte[64];
        blake.doFinal(h0, 0);
        return h0;
    }

    /** The first two blocks of every lane: H'(H0 || 0 || lane) and H'(H0 || 1 || lane). */
    private void fillFirstBlocks(byte[] h0) {
        byte[] seed = Arrays.copyOf(h0, 72);
        for (int lane = 0; lane < lanes; lane++) {
            for (int column = 0; column < 2; column++) {
                littleEndian(column, seed, 64);
                littleEndian(lane, seed, 68);
                byte[] block = variableHash(seed, BLOCK_BYTES);
                int base = (lane * laneLength + column) * WORDS;
                for (int i = 0; i < WORDS; i++) {
                    memory[base + i] = littleEndianLong(block, i * 8);
                }
            }
        }
    }

    private void fillMemory() {
        for (int pass = 0; pass < iterations; pass++) {
            for (int slice = 0; slice < SYNC_POINTS; slice++) {
                for (int lane = 0; lane < lanes; lane++) {
                    fillSegment(pass, lane, slice);
                }
            }
        }
    }

    private void fillSegment(int pass, int lane, int slice) {
        boolean independent = pass == 0 && slice < SYNC_POINTS / 2;
        int start = pass == 0 && slice == 0 ? 2 : 0;
        if (independent) {
            Arrays.fill(input, 0L);
            input[0] = pass;
            input[1] = lane;
            input[2] = slice;
            input[3] = blocks;
            input[4] = iterations;
            input[5] = TYPE;
            if (start == 2) {
                nextAddresses();
            }
        }
        int current = lane * laneLength + slice * segmentLength + start;
        for (int index = start; index < segmentLength; index++, current++) {
            int previous = current % laneLength == 0 ? current + laneLength - 1 : current - 1;
            long pseudoRandom;
            if (independent) {
                if (index % WORDS == 0) {
                    nextAddresses();
                }
                pseudoRandom = address[index % WORDS];
            } else {
                pseudoRandom = memory[previous * WORDS];
            }
            int refLane = pass == 0 && slice == 0 ? lane : (int) ((pseudoRandom >>> 32) % lanes);
            int reference = refLane * laneLength + referenceColumn(pass, slice, index, pseudoRandom, refLane == lane);
            compress(previous * WORDS, reference * WORDS, current * WORDS, pass > 0);
        }
    }

    /** The column of the reference block: RFC 9106, section 3.4.1.2. */
    private int referenceColumn(int pass, int slice, int index, long pseudoRandom, boolean sameLane) {
        int areaSize;
        int startPosition;
        if (pass == 0) {
            startPosition = 0;
            areaSize = sameLane ? slice * segmentLength + index - 1 : slice * segmentLength + (index == 0 ? -1 : 0);
        } else {
            startPosition = ((slice + 1) * segmentLength) % laneLength;
            areaSize = sameLane ? laneLength - segmentLength + index - 1
                    : laneLength - segmentLength + (index == 0 ? -1 : 0);
        }
        long x = pseudoRandom & 0xFFFFFFFFL;
        x = (x * x) >>> 32;
        long relative = areaSize - 1 - ((areaSize * x) >>> 32);
        return (int) ((startPosition + relative) % laneLength);
    }

    /** The next 128 pseudo-random addresses: G(0, G(0, input)) with the input's counter advanced. */
    private void nextAddresses() {
        input[6]++;
        compressInto(zero, input, address);
        compressInto(zero, address, address);
    }

    /** G over blocks of the memory: the block at {@code to} becomes G(previous, reference), XORed in from pass 1 on. */
    private void compress(int previous, int reference, int to, boolean withXor) {
        for (int i = 0; i < WORDS; i++) {
            r[i] = memory[previous + i] ^ memory[reference + i];
        }
        System.arraycopy(r, 0, z, 0, WORDS);
        permute();
        if (withXor) {
            for (int i = 0; i < WORDS; i++) {
                memory[to + i] ^= r[i] ^ z[i];
            }
        } else {
            for (int i = 0; i < WORDS; i++) {
                memory[to + i] = r[i] ^ z[i];
            }
        }
    }

    /** G over blocks outside the memory (the address blocks). */
    private void compressInto(long[] x, long[] y, long[] out) {
        for (int i = 0; i < WORDS; i++) {
            r[i] = x[i] ^ y[i];
        }
        System.arraycopy(r, 0, z, 0, WORDS);
        permute();
        for (int i = 0; i < WORDS; i++) {
            out[i] = r[i] ^ z[i];
        }
    }

    /** P on the eight rows of sixteen words, then on the eight columns of two-word pairs. */
    private void permute() {
        for (int row = 0; row < 8; row++) {
            int b = 16 * row;
            round(b, b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7, b + 8, b + 9, b + 10, b + 11, b + 12, b + 13,
                    b + 14, b + 15);
        }
        for (int column = 0; column < 8; column++) {
            int b = 2 * column;
            round(b, b + 1, b + 16, b + 17, b + 32, b + 33, b + 48, b + 49, b + 64, b + 65, b + 80, b + 81, b + 96,
                    b + 97, b + 112, b + 113);
        }
    }

    private void round(int v0, int v1, int v2, int v3, int v4, int v5, int v6, int v7, int v8, int v9, int v10,
            int v11, int v12, int v13, int v14, int v15) {
        mix(v0, v4, v8, v12);
        mix(v1, v5, v9, v13);
        mix(v2, v6, v10, v14);
        mix(v3, v7, v11, v15);
        mix(v0, v5, v10, v15);
        mix(v1, v6, v11, v12);
        mix(v2, v7, v8, v13);
        mix(v3, v4, v9, v14);
    }

    /** Blake2b's G with BlaMka's multiplication: a = a + b + 2 * lo(a) * lo(b). */
    private void mix(int a, int b, int c, int d) {
        long[] v = z;
        v[a] = blaMka(v[a], v[b]);
        v[d] = Long.rotateRight(v[d] ^ v[a], 32);
        v[c] = blaMka(v[c], v[d]);
        v[b] = Long.rotateRight(v[b] ^ v[c], 24);
        v[a] = blaMka(v[a], v[b]);
        v[d] = Long.rotateRight(v[d] ^ v[a], 16);
        v[c] = blaMka(v[c], v[d]);
        v[b] = Long.rotateRight(v[b] ^ v[c], 63);
    }

    private static long blaMka(long x, long y) {
        return x + y + 2 * ((x & 0xFFFFFFFFL) * (y & 0xFFFFFFFFL));
    }

    /** H' of the XOR of every lane's last block. */
    private byte[] tag(int length) {
        long[] last = new long[WORDS];
        for (int lane = 0; lane < lanes; lane++) {
            int base = (lane * laneLength + laneLength - 1) * WORDS;
            for (int i = 0; i < WORDS; i++) {
                last[i] ^= memory[base + i];
            }
        }
        byte[] bytes = new byte[BLOCK_BYTES];
        for (int i = 0; i < WORDS; i++) {
            littleEndian(last[i], bytes, i * 8);
        }
        return variableHash(bytes, length);
    }

    /** H': Blake2b of any output length (RFC 9106, section 3.3). */
    private static byte[] variableHash(byte[] in, int length) {
        byte[] out = new byte[length];
        byte[] prefix = new byte[4];
        littleEndian(length, prefix, 0);
        if (length <= 64) {
            Blake2bDigest blake = new Blake2bDigest(length * 8);
            blake.update(prefix, 0, 4);
            blake.update(in, 0, in.length);
            blake.doFinal(out, 0);
            return out;
        }
        Blake2bDigest blake = new Blake2bDigest(512);
        byte[] v = new byte[64];
        blake.update(prefix, 0, 4);
        blake.update(in, 0, in.length);
        blake.doFinal(v, 0);
        System.arraycopy(v, 0, out, 0, 32);
        int blocksOf32 = (length + 31) / 32 - 2;
        int position = 32;
        for (int i = 2; i <= blocksOf32; i++, position += 32) {
            blake.update(v, 0, 64);
            blake.doFinal(v, 0);
            System.arraycopy(v, 0, out, position, 32);
        }
        Blake2bDigest last = new Blake2bDigest((length - 32 * blocksOf32) * 8);
        last.update(v, 0, 64);
        last.doFinal(out, position);
        return out;
    }

    private static void update(Blake2bDigest blake, int value) {
        byte[] bytes = new byte[4];
        littleEndian(value, bytes, 0);
        blake.update(bytes, 0, 4);
    }

    private static void littleEndian(int value, byte[] out, int offset) {
        for (int i = 0; i < 4; i++) {
            out[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    private static void littleEndian(long value, byte[] out, int offset) {
        for (int i = 0; i < 8; i++) {
            out[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    private static long littleEndianLong(byte[] in, int offset) {
        long value = 0;
        for (int i = 7; i >= 0; i--) {
            value = (value << 8) | (in[offset + i] & 0xFFL);
        }
        return value;
    }
}
