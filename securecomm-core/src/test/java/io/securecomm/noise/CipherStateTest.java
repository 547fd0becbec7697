package io.securecomm.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.crypto.AeadAlgorithm;
import io.securecomm.crypto.AeadAuthenticationException;
import io.securecomm.crypto.ExplicitNonceAead;
import io.securecomm.crypto.Hkdf;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CipherStateTest {
    private static final byte[] KEY = new byte[32];

    static {
        for (int i = 0; i < 32; i++) {
            KEY[i] = (byte) i;
        }
    }

    @Test
    void withoutAKeyEncryptionIsTheIdentity() throws Exception {
        CipherState c = new CipherState(NoiseCipher.CHACHA_POLY);
        assertFalse(c.hasKey());
        assertArrayEquals(new byte[] {1, 2}, c.encryptWithAd(new byte[] {9}, new byte[] {1, 2}));
        assertArrayEquals(new byte[] {1, 2}, c.decryptWithAd(new byte[] {9}, new byte[] {1, 2}));
        assertEquals(0, c.nonce());
        assertThrows(IllegalStateException.class, c::rekey);
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void nonceIsEncodedAsTheSpecSays(NoiseCipher cipher) throws Exception {
        long n = 0x0102030405060708L;
        CipherState c = new CipherState(cipher);
        c.initializeKey(KEY);
        c.setNonce(n);
        byte[] ct = c.encryptWithAd(new byte[] {5}, new byte[] {6, 7});
        assertEquals(n + 1, c.nonce());
        byte[] nonce = new byte[12];
        for (int i = 0; i < 8; i++) {
            int at = cipher == NoiseCipher.CHACHA_POLY ? 4 + i : 11 - i; // little- vs big-endian
            nonce[at] = (byte) (n >>> (8 * i));
        }
        AeadAlgorithm alg = cipher == NoiseCipher.CHACHA_POLY ? AeadAlgorithm.CHACHA20_POLY1305
                : AeadAlgorithm.AES_256_GCM;
        try (ExplicitNonceAead aead = ExplicitNonceAead.create(alg, KEY)) {
            assertArrayEquals(new byte[] {6, 7}, aead.open(nonce, new byte[] {5}, ct));
        }
    }

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void rekeyIsTheFirst32BytesOfEncryptingZerosUnderTheMaxNonce(NoiseCipher cipher) throws Exception {
        AeadAlgorithm alg = cipher == NoiseCipher.CHACHA_POLY ? AeadAlgorithm.CHACHA20_POLY1305
                : AeadAlgorithm.AES_256_GCM;
        byte[] maxNonce = new byte[12];
        Arrays.fill(maxNonce, 4, 12, (byte) 0xff);
        byte[] rekeyed;
        try (ExplicitNonceAead aead = ExplicitNonceAead.create(alg, KEY)) {
            rekeyed = Arrays.copyOf(aead.seal(maxNonce, new byte[0], new byte[32]), 32);
        }
        CipherState c = new CipherState(cipher);
        c.initializeKey(KEY);
        c.setNonce(3);
        c.rekey();
        assertEquals(3, c.nonce(), "Rekey() leaves n alone");
        CipherState expected = new CipherState(cipher);
        expected.initializeKey(rekeyed);
        expected.setNonce(3);
        assertArrayEquals(expected.encryptWithAd(new byte[0], new byte[] {1}),
                c.encryptWithAd(new byte[0], new byte[] {1}));
    }

    @Test
    void theMaxNonceIsReservedEncryptSide() {
        CipherState c = new CipherState(NoiseCipher.AES_GCM);
        c.initializeKey(KEY);
        c.setNonce(CipherState.MAX_NONCE - 1);
        c.encryptWithAd(new byte[0], new byte[0]);
        assertEquals(CipherState.MAX_NONCE, c.nonce());
        assertThrows(NonceExhaustedException.class, () -> c.encryptWithAd(new byte[0], new byte[0]));
        c.rekey(); // Rekey() uses the reserved nonce itself and still works
    }

    @Test
    void theMaxNonceIsReservedDecryptSide() throws Exception {
        CipherState sender = new CipherState(NoiseCipher.CHACHA_POLY);
        CipherState receiver = new CipherState(NoiseCipher.CHACHA_POLY);
        sender.initializeKey(KEY);
        receiver.initializeKey(KEY);
        sender.setNonce(CipherState.MAX_NONCE - 1);
        receiver.setNonce(CipherState.MAX_NONCE - 1);
        byte[] ct = sender.encryptWithAd(new byte[0], new byte[] {1});
        assertArrayEquals(new byte[] {1}, receiver.decryptWithAd(new byte[0], ct));
        assertThrows(NonceExhaustedException.class, () -> receiver.decryptWithAd(new byte[0], ct));
    }

    @Test
    void aFailedDecryptionDoesNotAdvanceTheNonce() throws Exception {
        CipherState sender = new CipherState(NoiseCipher.CHACHA_POLY);
        CipherState receiver = new CipherState(NoiseCipher.CHACHA_POLY);
        sender.initializeKey(KEY);
        receiver.initializeKey(KEY);
        byte[] ct = sender.encryptWithAd(new byte[0], new byte[] {1});
        byte[] bad = ct.clone();
        bad[0] ^= 1;
        assertThrows(AeadAuthenticationException.class, () -> receiver.decryptWithAd(new byte[0], bad));
        assertThrows(AeadAuthenticationException.class, () -> receiver.decryptWithAd(new byte[0], new byte[15]));
        assertEquals(0, receiver.nonce());
        assertArrayEquals(new byte[] {1}, receiver.decryptWithAd(new byte[0], ct));
    }

    @Test
    void keysAreRedactedAndForgottenOnClose() {
        CipherState c = new CipherState(NoiseCipher.CHACHA_POLY);
        c.initializeKey(KEY);
        assertTrue(c.toString().contains("redacted"));
        c.close();
        assertFalse(c.hasKey());
        assertThrows(IllegalArgumentException.class, () -> c.initializeKey(new byte[16]));
    }

    @Test
    void noiseHkdfOverSha256IsTheCryptoLayersHkdf() {
        byte[] ck = new byte[32];
        Arrays.fill(ck, (byte) 7);
        for (byte[] ikm : new byte[][] {new byte[0], new byte[32], "some input".getBytes()}) {
            for (int n = 2; n <= 3; n++) {
                byte[][] ours = NoiseHkdf.hkdf(NoiseHash.SHA256, ck, ikm, n);
                byte[][] theirs = Hkdf.deriveOutputs(ck, ikm, n);
                assertEquals(n, ours.length);
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(theirs[i], ours[i], "output " + (i + 1) + " of " + n);
                }
            }
        }
        assertEquals(64, NoiseHkdf.hkdf(NoiseHash.SHA512, new byte[64], new byte[0], 2)[1].length);
    }
}
