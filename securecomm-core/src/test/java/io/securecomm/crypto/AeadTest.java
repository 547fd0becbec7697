package io.securecomm.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** ExplicitNonceAead and Aead: round trips, tampering of every bit, buffer variants, key hygiene. */
class AeadTest {
    @Provide
    Arbitrary<byte[]> key() {
        return Arbitraries.bytes().array(byte[].class).ofSize(32);
    }

    @Provide
    Arbitrary<byte[]> nonce() {
        return Arbitraries.bytes().array(byte[].class).ofSize(12);
    }

    @Provide
    Arbitrary<byte[]> bytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    }

    @Property(tries = 200)
    void openInvertsSeal(@ForAll AeadAlgorithm algorithm, @ForAll("key") byte[] key, @ForAll("nonce") byte[] nonce,
            @ForAll("bytes") byte[] plaintext, @ForAll("bytes") byte[] ad) throws Exception {
        try (ExplicitNonceAead aead = ExplicitNonceAead.create(algorithm, key)) {
            byte[] sealed = aead.seal(nonce, ad, plaintext);
            assertEquals(plaintext.length + AeadAlgorithm.TAG_SIZE_BYTES, sealed.length);
            assertArrayEquals(plaintext, aead.open(nonce, ad, sealed));
            // In place, at an offset, in one array.
            byte[] buffer = new byte[5 + sealed.length];
            System.arraycopy(plaintext, 0, buffer, 5, plaintext.length);
            byte[] nonce2 = nonce.clone();
            nonce2[0] ^= (byte) 0x80;
            assertEquals(sealed.length, aead.seal(nonce2, ad, buffer, 5, plaintext.length, buffer, 5));
            assertEquals(plaintext.length, aead.open(nonce2, ad, buffer, 5, sealed.length, buffer, 5));
            assertArrayEquals(plaintext, Arrays.copyOfRange(buffer, 5, 5 + plaintext.length));
        }
    }

    private enum Part { CIPHERTEXT_OR_TAG, NONCE, ASSOCIATED_DATA }

    @Property(tries = 300)
    void anySingleFlippedBitIsRejected(@ForAll AeadAlgorithm algorithm, @ForAll("key") byte[] key,
            @ForAll("nonce") byte[] nonce, @ForAll("bytes") byte[] plaintext, @ForAll("bytes") byte[] ad,
            @ForAll Part part, @ForAll int bitSeed) throws Exception {
        try (ExplicitNonceAead aead = ExplicitNonceAead.create(algorithm, key)) {
            byte[] sealed = aead.seal(nonce, ad, plaintext);
            byte[] target = switch (part) {
                case CIPHERTEXT_OR_TAG -> sealed;
                case NONCE -> nonce;
                case ASSOCIATED_DATA -> ad.length == 0 ? sealed : ad;
            };
            int bit = Math.floorMod(bitSeed, target.length * 8);
            target[bit / 8] ^= (byte) (1 << (bit % 8));
            assertThrows(AeadAuthenticationException.class, () -> aead.open(nonce, ad, sealed));
        }
    }

    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void everyBitOfCiphertextTagNonceAndAssociatedDataIsAuthenticated(AeadAlgorithm algorithm) throws Exception {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        byte[] nonce = new byte[12];
        byte[] ad = {1, 2, 3, 4, 5};
        byte[] plaintext = "attack at dawn".getBytes(StandardCharsets.US_ASCII);
        try (ExplicitNonceAead aead = ExplicitNonceAead.create(algorithm, key)) {
            byte[] sealed = aead.seal(nonce, ad, plaintext);
            int rejected = 0;
            for (byte[] target : new byte[][] {sealed, nonce, ad}) {
                for (int bit = 0; bit < target.length * 8; bit++) {
                    target[bit / 8] ^= (byte) (1 << (bit % 8));
                    byte[] out = new byte[plaintext.length];
                    Arrays.fill(out, (byte) 0x55);
                    assertThrows(AeadAuthenticationException.class,
                            () -> aead.open(nonce, ad, sealed, 0, sealed.length, out, 0));
                    assertArrayEquals(new byte[plaintext.length], out, "no plaintext released");
                    target[bit / 8] ^= (byte) (1 << (bit % 8));
                    rejected++;
                }
            }
            assertEquals((sealed.length + nonce.length + ad.length) * 8, rejected);
            assertArrayEquals(plaintext, aead.open(nonce, ad, sealed), "untampered still opens");
            // Truncation and extension are rejected too.
            for (int len = 0; len < sealed.length; len++) {
                byte[] shorter = Arrays.copyOf(sealed, len);
                assertThrows(AeadAuthenticationException.class, () -> aead.open(nonce, ad, shorter));
            }
            assertThrows(AeadAuthenticationException.class,
                    () -> aead.open(nonce, ad, Arrays.copyOf(sealed, sealed.length + 1)));
        }
    }

    @ParameterizedTest
    @EnumSource(AeadAlgorithm.class)
    void wrongKeyIsRejected(AeadAlgorithm algorithm) {
        byte[] nonce = new byte[12];
        byte[] sealed;
        try (ExplicitNonceAead a = ExplicitNonceAead.create(algorithm, new byte[32])) {
            sealed = a.seal(nonce, new byte[0], new byte[10]);
        }
        byte[] other = new byte[32];
        other[31] = 1;
        try (ExplicitNonceAead b = ExplicitNonceAead.create(algorithm, other)) {
            assertThrows(AeadAuthenticationException.class, () -> b.open(nonce, new byte[0], sealed));
        }
    }

    @Property(tries = 100)
    void nonceManagingAeadRoundTrips(@ForAll AeadAlgorithm algorithm, @ForAll("bytes") byte[] plaintext,
            @ForAll("bytes") byte[] ad) throws Exception {
        try (AeadKey key = AeadKey.generate(algorithm); Aead aead = Aead.create(key)) {
            byte[] c1 = aead.encrypt(plaintext, ad);
            byte[] c2 = aead.encrypt(plaintext, ad);
            assertEquals(plaintext.length + Aead.OVERHEAD_BYTES, c1.length);
            assertFalse(Arrays.equals(c1, c2), "fresh nonce per message");
            assertArrayEquals(plaintext, aead.decrypt(c1, ad));
            assertArrayEquals(plaintext, aead.decrypt(c2, ad));
            byte[] out = new byte[plaintext.length + Aead.OVERHEAD_BYTES + 3];
            int n = aead.encrypt(plaintext, 0, plaintext.length, ad, out, 3);
            byte[] back = new byte[plaintext.length];
            assertEquals(plaintext.length, aead.decrypt(out, 3, n, ad, back, 0));
            assertArrayEquals(plaintext, back);
            c1[c1.length - 1] ^= 1;
            assertThrows(AeadAuthenticationException.class, () -> aead.decrypt(c1, ad));
            c2[0] ^= 1;
            assertThrows(AeadAuthenticationException.class, () -> aead.decrypt(c2, ad));
        }
    }

    @Test
    void nonceManagingAeadRejectsShortInputAndTakesTheKeysAlgorithm() throws Exception {
        try (AeadKey key = AeadKey.generate(AeadAlgorithm.AES_256_GCM); Aead aead = Aead.create(key)) {
            assertEquals(AeadAlgorithm.AES_256_GCM, aead.algorithm());
            for (int len = 0; len < Aead.OVERHEAD_BYTES; len++) {
                byte[] input = new byte[len];
                assertThrows(AeadAuthenticationException.class, () -> aead.decrypt(input, new byte[0]));
            }
        }
    }

    /**
     * RFC 5869, test case 1 (A.1): IKM 22 x 0x0b, salt 0x00..0x0c, info 0xf0..0xf9. A key is the first 32 bytes of
     * the OKM, and the two sides of an X25519 agreement derive the same key, which seals and opens.
     */
    @Test
    void aKeyDerivedFromASharedSecretIsHkdfSha256AndBothSidesGetIt() throws Exception {
        byte[] ikm = new byte[22];
        Arrays.fill(ikm, (byte) 0x0b);
        byte[] salt = HexFormat.of().parseHex("000102030405060708090a0b0c");
        byte[] info = HexFormat.of().parseHex("f0f1f2f3f4f5f6f7f8f9");
        try (AeadKey key = AeadKey.deriveFromSharedSecret(AeadAlgorithm.CHACHA20_POLY1305, ikm, salt, info)) {
            assertEquals("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf",
                    HexFormat.of().formatHex(key.exportSecretKeyBytes()));
            assertEquals(AeadAlgorithm.CHACHA20_POLY1305, key.algorithm());
        }
        KeyExchange x25519 = KeyExchange.x25519();
        byte[] label = "AeadTest v1".getBytes(StandardCharsets.UTF_8);
        try (KeyExchangeKeyPair a = x25519.generateKeyPair(); KeyExchangeKeyPair b = x25519.generateKeyPair()) {
            byte[] ab = x25519.agree(a, b.publicKey().encoded());
            byte[] ba = x25519.agree(b, a.publicKey().encoded());
            try (AeadKey ka = AeadKey.deriveFromSharedSecret(AeadAlgorithm.AES_256_GCM, ab, null, label);
                    AeadKey kb = AeadKey.deriveFromSharedSecret(AeadAlgorithm.AES_256_GCM, ba, null, label);
                    Aead sealer = Aead.create(ka); Aead opener = Aead.create(kb)) {
                byte[] sealed = sealer.encrypt(new byte[] {1, 2, 3}, new byte[0]);
                assertArrayEquals(new byte[] {1, 2, 3}, opener.decrypt(sealed, new byte[0]));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> AeadKey.deriveFromSharedSecret(
                AeadAlgorithm.AES_256_GCM, new byte[15], null, label));
    }

    @Test
    void secretsAreRedactedAndWipedOnClose() {
        byte[] raw = new byte[32];
        Arrays.fill(raw, (byte) 0x41);
        AeadKey key = AeadKey.fromBytes(AeadAlgorithm.CHACHA20_POLY1305, raw);
        assertFalse(key.toString().contains("41"));
        assertFalse(key.toString().contains("AAAA"));
        assertArrayEquals(raw, key.exportSecretKeyBytes());
        assertNotEquals(AeadKey.fromBytes(AeadAlgorithm.CHACHA20_POLY1305, raw), key, "no value equality for secrets");
        key.close();
        assertThrows(IllegalStateException.class, key::exportSecretKeyBytes);
        ExplicitNonceAead aead = ExplicitNonceAead.create(AeadAlgorithm.CHACHA20_POLY1305, raw);
        assertTrue(aead.toString().contains("redacted"));
        aead.close();
        assertThrows(IllegalStateException.class, () -> aead.seal(new byte[12], new byte[0], new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> AeadKey.fromBytes(AeadAlgorithm.AES_256_GCM, new byte[24]));
    }

    @Test
    void algorithmSizes() {
        for (AeadAlgorithm a : AeadAlgorithm.values()) {
            assertEquals(32, a.keySizeBytes());
            assertEquals(12, a.nonceSizeBytes());
            assertEquals(16, a.tagSizeBytes());
        }
    }
}
