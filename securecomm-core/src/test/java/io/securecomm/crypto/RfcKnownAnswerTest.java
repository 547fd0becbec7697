package io.securecomm.crypto;

import static io.securecomm.testing.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.securecomm.crypto.internal.Curve25519;
import io.securecomm.noise.internal.ChaChaPolyProvider;
import io.securecomm.noise.internal.RecordAead;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Known answers transcribed from RFC 7748 (X25519 for each {@link Curve25519} implementation), RFC 8439 and RFC 5869.
 */
class RfcKnownAnswerTest {
    private static final byte[] SUNSCREEN = ("Ladies and Gentlemen of the class of '99: If I could offer you only one"
            + " tip for the future, sunscreen would be it.").getBytes(StandardCharsets.US_ASCII);

    private static byte[] range(int from, int toInclusive) {
        byte[] b = new byte[toInclusive - from + 1];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    private static byte[] repeat(int value, int count) {
        byte[] b = new byte[count];
        Arrays.fill(b, (byte) value);
        return b;
    }

    // RFC 7748 section 5.2: X25519(scalar, u), for each implementation of the curve.
    @ParameterizedTest
    @EnumSource(Curve25519.class)
    void rfc7748Section5_2FirstVector(Curve25519 curve) throws Exception {
        assertX25519(curve, "a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4",
                "e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c",
                "c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
    }

    @ParameterizedTest
    @EnumSource(Curve25519.class)
    void rfc7748Section5_2SecondVector(Curve25519 curve) throws Exception {
        // The u-coordinate has its top bit set: decodeUCoordinate must mask it.
        assertX25519(curve, "4b66e9d4d1b4673c5ad22691957d6af5c11b6421e0ea01d42ca4169e7918ba0d",
                "e5210f12786811d3f4b7959d0538ae2c31dbe7106fc03c3efc4cd549c715a493",
                "95cbde9476e8907d7aade45cb4b873f88b595a68799fa152e6f8f7647aac7957");
    }

    @ParameterizedTest
    @EnumSource(Curve25519.class)
    void rfc7748Section5_2Iterations(Curve25519 curve) throws Exception {
        // k = u = 9 (the base point); then k, u = X25519(k, u), k. After one and after 1,000 iterations.
        KeyExchange x = XdhKeyExchange.x25519(curve);
        byte[] k = new byte[32];
        k[0] = 9;
        byte[] u = k.clone();
        for (int i = 1; i <= 1000; i++) {
            byte[] next;
            try (KeyExchangeKeyPair pair = x.keyPairFromPrivateKey(k)) {
                next = x.agree(pair, u);
            }
            u = k;
            k = next;
            if (i == 1) {
                assertEquals("422c8e7a6227d7bca1350b3e2bb7279f7897b87bb6854b783c60e80311ae3079", hex(k));
            }
        }
        assertEquals("684cf59ba83309552800ef566f2f4d3c1c3887c49360e3875f2eb94d99532c51", hex(k));
    }

    private static void assertX25519(Curve25519 curve, String scalar, String u, String expected) throws Exception {
        KeyExchange x = XdhKeyExchange.x25519(curve);
        try (KeyExchangeKeyPair pair = x.keyPairFromPrivateKey(hex(scalar))) {
            assertEquals(expected, hex(x.agree(pair, hex(u))));
        }
    }

    // RFC 7748 section 6.1: the Diffie-Hellman example.
    @ParameterizedTest
    @EnumSource(Curve25519.class)
    void rfc7748Section6_1(Curve25519 curve) throws Exception {
        KeyExchange x = XdhKeyExchange.x25519(curve);
        try (KeyExchangeKeyPair alice =
                        x.keyPairFromPrivateKey(
                                hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"));
                KeyExchangeKeyPair bob = x.keyPairFromPrivateKey(
                        hex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"))) {
            assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
                    hex(alice.publicKey().encoded()));
            assertEquals("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
                    hex(bob.publicKey().encoded()));
            String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
            assertEquals(shared, hex(x.agree(alice, bob.publicKey())));
            assertEquals(shared, hex(x.agree(bob, alice.publicKey())));
        }
    }

    @ParameterizedTest
    @EnumSource(Curve25519.class)
    void x25519RejectsTheZeroPointWithLowOrderPointException(Curve25519 curve) throws Exception {
        KeyExchange x = XdhKeyExchange.x25519(curve);
        try (KeyExchangeKeyPair pair = x.generateKeyPair()) {
            LowOrderPointException e = assertThrows(LowOrderPointException.class, () -> x.agree(pair, new byte[32]));
            assertEquals("X25519 peer public key is a low-order point (all-zero shared secret)", e.getMessage());
            byte[] one = new byte[32];
            one[0] = 1;
            assertThrows(LowOrderPointException.class, () -> x.agree(pair, one));
        }
    }

    @Test
    void theLibraryUsesTheSelectedImplementation() throws Exception {
        // KeyExchange.x25519() is the selected implementation: Bouncy Castle unless securecomm.curve25519 says jca.
        String property = System.getProperty(Curve25519.PROPERTY, "bouncycastle");
        assertEquals(property.equals("jca") ? Curve25519.JCA : Curve25519.BOUNCY_CASTLE, Curve25519.selected());
        byte[] scalar = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        try (KeyExchangeKeyPair pair = KeyExchange.x25519().keyPairFromPrivateKey(scalar)) {
            assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
                    hex(pair.publicKey().encoded()));
        }
    }

    // RFC 7748 section 6.2: the X448 Diffie-Hellman example.
    @Test
    void rfc7748Section6_2X448() throws Exception {
        KeyExchange x = KeyExchange.x448();
        try (KeyExchangeKeyPair alice = x.keyPairFromPrivateKey(
                hex("9a8f4925d1519f5775cf46b04b5800d4ee9ee8bae8bc5565d498c28d"
                        + "d9c9baf574a9419744897391006382a6f127ab1d9ac2d8c0a598726b"));
                KeyExchangeKeyPair bob = x.keyPairFromPrivateKey(
                        hex("1c306a7ac2a0e2e0990b294470cba339e6453772b075811d8fad0d1d"
                        + "6927c120bb5ee8972b0d3e21374c9c921b09d1b0366f10b65173992d"))) {
            assertEquals("9b08f7cc31b7e3e67d22d5aea121074a273bd2b83de09c63faa73d2c22c5d9bb"
                    + "c836647241d953d40c5b12da88120d53177f80e532c41fa0", hex(alice.publicKey().encoded()));
            assertEquals("3eb7a829b0cd20f5bcfc0b599b6feccf6da4627107bdb0d4f345b43027d8b972"
                    + "fc3e34fb4232a13ca706dcb57aec3dae07bdc1c67bf33609", hex(bob.publicKey().encoded()));
            String shared = "07fff4181ac6cc95ec1c16a94a0f74d12da232ce40a77552281d282bb60c0b56"
                    + "fd2464c335543936521c24403085d59a449a5037514a879d";
            assertEquals(shared, hex(x.agree(alice, bob.publicKey())));
            assertEquals(shared, hex(x.agree(bob, alice.publicKey())));
        }
    }

    // RFC 8439 section 2.8.2: ChaCha20-Poly1305 AEAD.
    @Test
    void rfc8439Section2_8_2() throws Exception {
        byte[] key = range(0x80, 0x9f);
        byte[] nonce = hex("070000004041424344454647");
        byte[] aad = hex("50515253c0c1c2c3c4c5c6c7");
        String expected = "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
                + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                + "3ff4def08e4b7a9de576d26586cec64b6116"
                + "1ae10b594f09e26a7e902ecbd0600691";
        try (ExplicitNonceAead aead = ExplicitNonceAead.create(AeadAlgorithm.CHACHA20_POLY1305, key)) {
            byte[] sealed = aead.seal(nonce, aad, SUNSCREEN);
            assertEquals(expected, hex(sealed));
            assertArrayEquals(SUNSCREEN, aead.open(nonce, aad, sealed));
            sealed[0] ^= 1;
            assertThrows(AeadAuthenticationException.class, () -> aead.open(nonce, aad, sealed));
        }
    }

    // RFC 8439 section 2.8.2 through the Noise transport's AEAD, for each implementation: sealed into a buffer at
    // an offset, opened in place, tampered.
    @ParameterizedTest
    @EnumSource(ChaChaPolyProvider.class)
    void rfc8439Section2_8_2ForNoise(ChaChaPolyProvider provider) throws Exception {
        byte[] key = range(0x80, 0x9f);
        byte[] nonce = hex("070000004041424344454647");
        byte[] aad = hex("50515253c0c1c2c3c4c5c6c7");
        String expected = "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                + "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
                + "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                + "3ff4def08e4b7a9de576d26586cec64b6116"
                + "1ae10b594f09e26a7e902ecbd0600691";
        try (RecordAead aead = provider.create(key)) {
            byte[] buffer = new byte[3 + SUNSCREEN.length + 16];
            assertEquals(SUNSCREEN.length + 16, aead.seal(nonce, aad, SUNSCREEN, 0, SUNSCREEN.length, buffer, 3));
            assertEquals(expected, hex(Arrays.copyOfRange(buffer, 3, buffer.length)));
            byte[] tampered = buffer.clone();
            assertEquals(SUNSCREEN.length, aead.open(nonce, aad, buffer, 3, SUNSCREEN.length + 16, buffer, 3));
            assertArrayEquals(SUNSCREEN, Arrays.copyOfRange(buffer, 3, 3 + SUNSCREEN.length));
            tampered[tampered.length - 1] ^= 1;
            byte[] out = new byte[SUNSCREEN.length];
            assertThrows(AeadAuthenticationException.class,
                    () -> aead.open(nonce, aad, tampered, 3, SUNSCREEN.length + 16, out, 0));
            assertArrayEquals(new byte[out.length], out);
        }
    }

    @Test
    void theNoiseTransportUsesTheSelectedChaChaPoly() {
        String property = System.getProperty(ChaChaPolyProvider.PROPERTY, ChaChaPolyProvider.DEFAULT);
        assertEquals(property.equals("bouncycastle") ? ChaChaPolyProvider.BOUNCY_CASTLE : ChaChaPolyProvider.JCA,
                ChaChaPolyProvider.selected());
    }

    @Test
    void aes256GcmRoundTripAndTamper() throws Exception {
        byte[] key = range(0, 31);
        byte[] nonce = range(0x40, 0x4b);
        byte[] aad = hex("feedfacedeadbeef");
        try (ExplicitNonceAead aead = ExplicitNonceAead.create(AeadAlgorithm.AES_256_GCM, key)) {
            byte[] sealed = aead.seal(nonce, aad, SUNSCREEN);
            assertEquals(SUNSCREEN.length + 16, sealed.length);
            assertArrayEquals(SUNSCREEN, aead.open(nonce, aad, sealed));
            assertArrayEquals(SUNSCREEN, aead.open(nonce, aad, sealed), "decrypt re-init works");
            assertThrows(AeadAuthenticationException.class, () -> aead.open(nonce, new byte[0], sealed));
        }
    }

    // NIST GCM spec test case 14 (AES-256, 96-bit IV, all-zero key and plaintext): an independent known answer.
    @Test
    void aes256GcmNistTestCase14() {
        try (ExplicitNonceAead aead = ExplicitNonceAead.create(AeadAlgorithm.AES_256_GCM, new byte[32])) {
            byte[] sealed = aead.seal(new byte[12], new byte[0], new byte[16]);
            assertEquals("cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919", hex(sealed));
        }
    }

    @Test
    void consecutiveDifferentNoncesWorkAndReuseIsRefused() throws Exception {
        for (AeadAlgorithm algorithm : AeadAlgorithm.values()) {
            try (ExplicitNonceAead aead = ExplicitNonceAead.create(algorithm, new byte[32])) {
                byte[] n = new byte[12];
                for (int i = 0; i < 5; i++) {
                    n[11] = (byte) i;
                    aead.seal(n, new byte[0], new byte[3]);
                }
                assertThrows(IllegalArgumentException.class, () -> aead.seal(n, new byte[0], new byte[3]));
                // Opening with the same nonce again and again must work (a retry after a failed tag check).
                n[11] = 9;
                byte[] sealed = aead.seal(n, new byte[0], new byte[3]);
                for (int i = 0; i < 3; i++) {
                    assertArrayEquals(new byte[3], aead.open(n, new byte[0], sealed), algorithm + " open #" + i);
                }
            }
        }
    }

    @Test
    void wrongSizesAreRejected() {
        for (AeadAlgorithm algorithm : AeadAlgorithm.values()) {
            assertThrows(IllegalArgumentException.class, () -> ExplicitNonceAead.create(algorithm, new byte[16]));
            try (ExplicitNonceAead aead = ExplicitNonceAead.create(algorithm, new byte[32])) {
                assertThrows(IllegalArgumentException.class, () -> aead.seal(new byte[8], new byte[0], new byte[1]));
                assertThrows(AeadAuthenticationException.class, () -> aead.open(new byte[12], new byte[0],
                        new byte[15]));
            }
        }
    }

    // RFC 5869 appendix A.1-A.3.
    @Test
    void rfc5869A1() {
        assertHkdf(repeat(0x0b, 22), range(0x00, 0x0c), range(0xf0, 0xf9), 42,
                "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
                "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
    }

    @Test
    void rfc5869A2() {
        assertHkdf(range(0x00, 0x4f), range(0x60, 0xaf), range(0xb0, 0xff), 82,
                "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
                "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
                        + "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
                        + "cc30c58179ec3e87c14c01d5c1f3434f1d87");
    }

    @Test
    void rfc5869A3() {
        assertHkdf(repeat(0x0b, 22), new byte[0], new byte[0], 42,
                "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
                "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
    }

    private static void assertHkdf(byte[] ikm, byte[] salt, byte[] info, int length, String prk, String okm) {
        assertEquals(prk, hex(Hkdf.extract(salt, ikm)));
        assertEquals(okm, hex(Hkdf.expand(hex(prk), info, length)));
        assertEquals(okm, hex(Hkdf.derive(salt, ikm, info, length)));
    }

    @Test
    void noiseHkdfEqualsRfc5869WithEmptyInfo() {
        byte[] ck = range(1, 32);
        byte[] ikm = range(100, 140);
        byte[] expected = Hkdf.derive(ck, ikm, new byte[0], 96);
        byte[][] three = Hkdf.deriveOutputs(ck, ikm, 3);
        byte[][] two = Hkdf.deriveOutputs(ck, ikm, 2);
        assertArrayEquals(Arrays.copyOfRange(expected, 0, 32), three[0]);
        assertArrayEquals(Arrays.copyOfRange(expected, 32, 64), three[1]);
        assertArrayEquals(Arrays.copyOfRange(expected, 64, 96), three[2]);
        assertArrayEquals(three[0], two[0]);
        assertArrayEquals(three[1], two[1]);
        assertThrows(IllegalArgumentException.class, () -> Hkdf.deriveOutputs(ck, ikm, 4));
        assertThrows(IllegalArgumentException.class, () -> Hkdf.expand(ck, null, 255 * 32 + 1));
    }
}
