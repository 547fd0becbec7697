package io.securecomm.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.GenerationMode;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** KeyExchange properties: symmetric agreement, encode/decode round trips, malformed keys only ever rejected. */
class KeyExchangeTest {
    @Provide
    Arbitrary<KeyExchange> xdh() {
        return Arbitraries.of(KeyExchange.x25519(), KeyExchange.x448());
    }

    @Provide
    Arbitrary<KeyExchange> ffdhe() {
        return Arbitraries.of(KeyExchange.ffdhe2048(), KeyExchange.ffdhe3072());
    }

    // RANDOMIZED: the only parameter has two values, and the key pairs are random inside the property.
    @Property(tries = 50, generation = GenerationMode.RANDOMIZED)
    void xdhAgreementIsSymmetric(@ForAll("xdh") KeyExchange kx) throws Exception {
        assertSymmetric(kx);
    }

    @Property(tries = 3, generation = GenerationMode.RANDOMIZED)
    void ffdheAgreementIsSymmetric(@ForAll("ffdhe") KeyExchange kx) throws Exception {
        assertSymmetric(kx);
    }

    private static void assertSymmetric(KeyExchange kx) throws Exception {
        try (KeyExchangeKeyPair a = kx.generateKeyPair(); KeyExchangeKeyPair b = kx.generateKeyPair()) {
            byte[] ab = kx.agree(a, b.publicKey().encoded());
            byte[] ba = kx.agree(b, kx.decodePublicKey(a.publicKey().encoded()));
            assertEquals(kx.sharedSecretSizeBytes(), ab.length);
            assertArrayEquals(ab, ba);
            // The raw private key rebuilds the same pair (key files, test vectors).
            try (KeyExchangeKeyPair a2 = kx.keyPairFromPrivateKey(a.exportPrivateKeyBytes())) {
                assertEquals(a.publicKey(), a2.publicKey());
                assertArrayEquals(ab, kx.agree(a2, b.publicKey()));
            }
        }
    }

    @Property(tries = 100)
    void xdhPublicKeysRoundTrip(@ForAll("xdh") KeyExchange kx, @ForAll long seed) throws Exception {
        byte[] encoded = new byte[kx.publicKeySizeBytes()];
        new Random(seed).nextBytes(encoded);
        KeyExchangePublicKey key = kx.decodePublicKey(encoded);
        assertArrayEquals(encoded, key.encoded());
        assertEquals(key, kx.decodePublicKey(encoded));
        assertEquals(kx.name(), key.algorithm());
    }

    @Property(tries = 200)
    void malformedPublicKeysOnlyEverGiveInvalidPublicKeyException(
            @ForAll("anyKeyExchange") KeyExchange kx, @ForAll("lengths") int length, @ForAll long seed) {
        byte[] encoded = new byte[length];
        new Random(seed).nextBytes(encoded);
        try (KeyExchangeKeyPair ours = kx.generateKeyPair()) {
            try {
                byte[] secret = kx.agree(ours, encoded);
                assertEquals(kx.publicKeySizeBytes(), length, "only right-sized keys can be accepted");
                assertEquals(kx.sharedSecretSizeBytes(), secret.length);
            } catch (InvalidPublicKeyException expected) {
                // the codec's own exception: fine
            } catch (RuntimeException e) {
                fail("unexpected " + e, e);
            }
        }
    }

    @Provide
    Arbitrary<KeyExchange> anyKeyExchange() {
        return Arbitraries.of(KeyExchange.x25519(), KeyExchange.x448(), KeyExchange.ffdhe2048());
    }

    @Provide
    Arbitrary<Integer> lengths() {
        return Arbitraries.oneOf(Arbitraries.integers().between(0, 400), Arbitraries.of(32, 56, 256, 384));
    }

    @Test
    void wrongLengthsAreRejected() {
        for (KeyExchange kx : new KeyExchange[] {KeyExchange.x25519(), KeyExchange.x448(), KeyExchange.ffdhe2048(),
                KeyExchange.ffdhe3072()}) {
            for (int len : new int[] {0, 1, kx.publicKeySizeBytes() - 1, kx.publicKeySizeBytes() + 1}) {
                assertThrows(InvalidPublicKeyException.class, () -> kx.decodePublicKey(new byte[len]), kx.name());
            }
            assertThrows(IllegalArgumentException.class, () -> kx.keyPairFromPrivateKey(new byte[3]));
        }
    }

    @Test
    void x448LowOrderPointsAreRejected() throws Exception {
        KeyExchange kx = KeyExchange.x448();
        try (KeyExchangeKeyPair ours = kx.generateKeyPair()) {
            byte[] zero = new byte[56];
            byte[] one = new byte[56];
            one[0] = 1;
            assertThrows(LowOrderPointException.class, () -> kx.agree(ours, zero));
            assertThrows(LowOrderPointException.class, () -> kx.agree(ours, one));
        }
    }

    @Test
    void ffdheOutOfRangeAndOutsideSubgroupAreRejected() throws Exception {
        for (KeyExchange kx : new KeyExchange[] {KeyExchange.ffdhe2048(), KeyExchange.ffdhe3072()}) {
            BigInteger p = ((FfdheKeyExchange) kx).p();
            BigInteger[] outOfRange = {BigInteger.ZERO, BigInteger.ONE, p.subtract(BigInteger.ONE), p,
                    BigInteger.TWO.pow(kx.publicKeySizeBytes() * 8).subtract(BigInteger.ONE)};
            for (BigInteger y : outOfRange) {
                InvalidPublicKeyException e = assertThrows(InvalidPublicKeyException.class,
                        () -> kx.decodePublicKey(encode(y, kx.publicKeySizeBytes())));
                assertTrue(e.getMessage().contains("2..p-2"), e.getMessage());
            }
            // p = 7 mod 8, so -1 is a non-residue and -4 = -1 * 2^2 lies outside the order-q subgroup; so does a
            // generator-of-everything candidate like p - 2 = -2 (2 is a residue, -1 is not).
            for (BigInteger y : new BigInteger[] {p.subtract(BigInteger.valueOf(4)), p.subtract(BigInteger.TWO)}) {
                InvalidPublicKeyException e = assertThrows(InvalidPublicKeyException.class,
                        () -> kx.decodePublicKey(encode(y, kx.publicKeySizeBytes())));
                assertTrue(e.getMessage().contains("subgroup"), e.getMessage());
            }
            // 2 = g and 4 = g^2 are in the subgroup.
            kx.decodePublicKey(encode(BigInteger.TWO, kx.publicKeySizeBytes()));
            kx.decodePublicKey(encode(BigInteger.valueOf(4), kx.publicKeySizeBytes()));
            assertThrows(IllegalArgumentException.class, () ->
                    kx.keyPairFromPrivateKey(new byte[kx.privateKeySizeBytes()]));
        }
    }

    /**
     * For r random, g^r lies in the order-q subgroup and is accepted, while -g^r (p = 7 mod 8 makes -1 a
     * non-residue) lies in range but outside the subgroup and is rejected with the specific exception.
     */
    @Property(tries = 20)
    void ffdheSubgroupMembershipDecidesAcceptance(@ForAll("exponents") BigInteger r) throws Exception {
        KeyExchange kx = KeyExchange.ffdhe2048();
        BigInteger p = ((FfdheKeyExchange) kx).p();
        BigInteger inSubgroup = BigInteger.TWO.modPow(r, p);
        if (inSubgroup.compareTo(BigInteger.ONE) > 0) {
            assertEquals(inSubgroup, new BigInteger(1, kx.decodePublicKey(encode(inSubgroup, 256)).encoded()));
        }
        BigInteger outside = p.subtract(inSubgroup);
        InvalidPublicKeyException e = assertThrows(InvalidPublicKeyException.class,
                () -> kx.decodePublicKey(encode(outside, 256)));
        assertTrue(e.getMessage().contains("subgroup") || e.getMessage().contains("2..p-2"), e.getMessage());
    }

    @Provide
    Arbitrary<BigInteger> exponents() {
        return Arbitraries.bigIntegers().between(BigInteger.ONE, BigInteger.TWO.pow(2040));
    }

    /** Big-endian, left-padded to {@code size}: the RFC 7919 encoding of a public value. */
    static byte[] encode(BigInteger y, int size) {
        byte[] raw = y.toByteArray();
        byte[] out = new byte[size];
        int n = Math.min(raw.length, size);
        System.arraycopy(raw, raw.length - n, out, size - n, n);
        return out;
    }

    @Test
    void keysOfAnotherAlgorithmAreCallerMistakes() throws Exception {
        try (KeyExchangeKeyPair x = KeyExchange.x25519().generateKeyPair();
                KeyExchangeKeyPair y = KeyExchange.x448().generateKeyPair()) {
            assertThrows(IllegalArgumentException.class, () -> KeyExchange.x448().agree(x, y.publicKey()));
            assertThrows(IllegalArgumentException.class, () -> KeyExchange.x25519().agree(x, y.publicKey()));
        }
    }

    @Test
    void privateKeyIsRedactedAndWipedOnClose() throws Exception {
        KeyExchange kx = KeyExchange.x25519();
        KeyExchangeKeyPair pair = kx.generateKeyPair();
        String privateHex = HexFormat.of().formatHex(pair.exportPrivateKeyBytes());
        assertFalse(pair.toString().contains(privateHex.substring(0, 16)));
        assertTrue(pair.toString().contains("redacted"));
        KeyExchangePublicKey pub = pair.publicKey();
        pair.close();
        assertThrows(IllegalStateException.class, pair::exportPrivateKeyBytes);
        assertThrows(IllegalStateException.class, () -> kx.agree(pair, pub));
        assertEquals(pub, pair.publicKey(), "the public half stays usable");
    }

    @Test
    void factoryMetadata() {
        assertEquals("X25519", KeyExchange.x25519().name());
        assertEquals(32, KeyExchange.x25519().publicKeySizeBytes());
        assertEquals("X448", KeyExchange.x448().name());
        assertEquals(56, KeyExchange.x448().publicKeySizeBytes());
        assertEquals("ffdhe2048", KeyExchange.ffdhe2048().name());
        assertEquals(256, KeyExchange.ffdhe2048().publicKeySizeBytes());
        assertEquals("ffdhe3072", KeyExchange.ffdhe3072().name());
        assertEquals(384, KeyExchange.ffdhe3072().publicKeySizeBytes());
    }
}
