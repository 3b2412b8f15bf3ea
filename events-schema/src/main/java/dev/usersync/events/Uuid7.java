package dev.usersync.events;

import java.security.SecureRandom;
import java.util.UUID;

/** Time-ordered UUIDs (RFC 9562 version 7): 48 bits of Unix milliseconds, then 74 random bits. */
public final class Uuid7 {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Uuid7() {
    }

    public static UUID next() {
        return at(System.currentTimeMillis());
    }

    static UUID at(long epochMillis) {
        long random = RANDOM.nextLong();
        long msb = (epochMillis << 16) | 0x7000L | (random >>> 52);
        long lsb = 0x8000000000000000L | (RANDOM.nextLong() >>> 2);
        return new UUID(msb, lsb);
    }
}
