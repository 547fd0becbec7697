package io.securecomm.crypto.insecure;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/** The toy primitives work as the toy did, and are as broken as their Javadoc says. */
class InsecureTest {
    private final SmallPrimeDiffieHellman dh = SmallPrimeDiffieHellman.defaults();

    @Test
    void defaultGroupIsAsDocumented() {
        assertEquals(4_294_967_291L, dh.p());
        assertEquals(2, dh.g());
        BigInteger pMinusOne = BigInteger.valueOf(dh.p() - 1);
        assertEquals(pMinusOne, BigInteger.valueOf(2L * 5 * 19 * 22_605_091));
        assertTrue(BigInteger.valueOf(22_605_091).isProbablePrime(40));
        for (long f : new long[] {2, 5, 19, 22_605_091}) {
            long exponent = (dh.p() - 1) / f;
            assertTrue(BigInteger.TWO.modPow(BigInteger.valueOf(exponent), dh.modulus()).longValue() != 1,
                    "g = 2 is a primitive root");
        }
        assertThrows(IllegalArgumentException.class, () -> new SmallPrimeDiffieHellman(100, 3));
    }

    @Property(tries = 50)
    void agreementIsSymmetric(@ForAll @LongRange(min = 2, max = 4_294_967_289L) long a,
            @ForAll @LongRange(min = 2, max = 4_294_967_289L) long b) {
        long generated = dh.generatePrivateValue();
        assertTrue(generated >= 2 && generated <= dh.p() - 2);
        assertEquals(dh.sharedSecret(a, dh.publicValue(b)), dh.sharedSecret(b, dh.publicValue(a)));
    }

    /** Why it is broken, demonstrated: baby-step giant-step recovers a private value in about 2^16 steps. */
    @Test
    void babyStepGiantStepRecoversThePrivateValue() {
        long a = dh.generatePrivateValue();
        long publicA = dh.publicValue(a);
        long p = dh.p();
        long m = (long) Math.ceil(Math.sqrt(p - 1));
        Map<Long, Long> baby = new HashMap<>();
        long e = 1;
        for (long j = 0; j < m; j++) {
            baby.putIfAbsent(e, j);
            e = BigInteger.valueOf(e).multiply(BigInteger.valueOf(dh.g())).mod(dh.modulus()).longValue();
        }
        long factor = BigInteger.valueOf(dh.g()).modPow(BigInteger.valueOf(p - 1 - m), dh.modulus()).longValue();
        long gamma = publicA;
        Long found = null;
        for (long i = 0; i < m && found == null; i++) {
            Long j = baby.get(gamma);
            if (j != null) {
                found = i * m + j;
            }
            gamma = BigInteger.valueOf(gamma).multiply(BigInteger.valueOf(factor)).mod(dh.modulus()).longValue();
        }
        assertEquals(publicA, dh.publicValue(found));
        assertEquals(Math.floorMod(a, p - 1), (long) found);
    }

    @Test
    void unvalidatedPeerValuesForceTheSharedSecret() {
        long a = dh.generatePrivateValue();
        assertEquals(1, dh.sharedSecret(a, 1));
        assertEquals(0, dh.sharedSecret(a, 0));
    }

    @Test
    void knownPlaintextRevealsTheRepeatingKey() {
        byte[] key = SmallPrimeDiffieHellman.deriveXorKey(123_456_789L, 8);
        assertEquals(8, key.length);
        assertArrayEquals(key, SmallPrimeDiffieHellman.deriveXorKey(123_456_789L, 8), "deterministic");
        byte[] plaintext = "HELLO bob, the meeting is at noon".getBytes(StandardCharsets.US_ASCII);
        byte[] ciphertext = plaintext.clone();
        try (RepeatingKeyXorCipher c = new RepeatingKeyXorCipher(key)) {
            c.apply(0, ciphertext, 0, ciphertext.length);
            assertEquals(8, c.keyLengthBytes());
            assertTrue(c.toString().contains("redacted"));
        }
        byte[] recovered = new byte[8];
        for (int i = 0; i < 8; i++) {
            recovered[i] = (byte) (plaintext[i] ^ ciphertext[i]);
        }
        assertArrayEquals(key, recovered);
        assertThrows(IllegalArgumentException.class, () -> SmallPrimeDiffieHellman.deriveXorKey(1, 0));
        assertThrows(IllegalArgumentException.class, () -> new RepeatingKeyXorCipher(new byte[0]));
    }
}
