package io.securecomm.e2e;

import static io.securecomm.testing.Vectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.securecomm.crypto.KeyExchange;
import io.securecomm.crypto.KeyExchangeKeyPair;
import io.securecomm.crypto.LowOrderPointException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * Known answers for the chain functions. The expected values were computed independently with
 * Python's {@code hmac}/{@code hashlib} (HKDF written out from RFC 5869), not with this code.
 */
class ChainCryptoTest {
    private static final byte[] CK = seq(0, 32);
    private static final byte[] DH_OUT = seq(32, 32);

    private static byte[] seq(int from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (from + i);
        }
        return b;
    }

    @Test
    void kdfCkKnownAnswer() {
        byte[][] out = ChainCrypto.KDF_CK(CK);
        assertArrayEquals(hex("4304c22c84a53755ab08ead8d97a8d429be5efa480682d7ad1da27f73e1fbe1d"), out[0]);
        assertArrayEquals(hex("9b4c8120a4823a95f47cde17a244f4507244ee6e3957d1fab9fa29b44d3829b7"), out[1]);
    }

    @Test
    void kdfRkKnownAnswer() {
        byte[][] out = ChainCrypto.KDF_RK(CK, DH_OUT, "securecomm-ratchet-root-v1".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(hex("2859e70a2b6da78abfe6ba51bb1f564fae7bac840ca3d86debf3219860085ac5"), out[0]);
        assertArrayEquals(hex("f130bde70db207f5863430ace8bea532d8acc5c42de86fe5f336a89d52609e49"), out[1]);
    }

    @Test
    void encryptUsesTheHkdfDerivedKeyAndNonceWithChaCha20Poly1305() throws Exception {
        byte[] info = "securecomm-ratchet-message-v1".getBytes(StandardCharsets.US_ASCII);
        byte[] ad = "header".getBytes(StandardCharsets.US_ASCII);
        byte[] pt = "plaintext".getBytes(StandardCharsets.US_ASCII);
        byte[] ct = ChainCrypto.ENCRYPT(CK, pt, ad, info);
        // Decrypt independently with the JCA and the known-answer key and nonce.
        Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
        c.init(Cipher.DECRYPT_MODE,
                new SecretKeySpec(hex("acf9b3a49f3b5b81e62b846ffdc51347683273c02bdef4e236f7566297289c36"), "ChaCha20"),
                new IvParameterSpec(hex("2b1e9709c55ff83a53346f2f")));
        c.updateAAD(ad);
        assertArrayEquals(pt, c.doFinal(ct));
        assertArrayEquals(pt, ChainCrypto.DECRYPT(CK, ct, ad, info));
        byte[] otherAd = "headex".getBytes(StandardCharsets.US_ASCII);
        assertThrows(InvalidMessageException.class, () -> ChainCrypto.DECRYPT(CK, ct, otherAd, info));
    }

    @Test
    void nonCanonicalX25519KeysAreRefused() throws Exception {
        byte[] priv = X25519.generate(new SecureRandom())[0];
        byte[][] peer = X25519.generate(new SecureRandom());
        byte[] topBit = peer[1].clone();
        topBit[31] |= (byte) 0x80;
        assertThrows(InvalidEncodingException.class, () -> X25519.dh(priv, topBit));
        byte[] p = hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
        assertThrows(InvalidEncodingException.class, () -> X25519.dh(priv, p));
        // u = 0 and u = 1 are low-order points.
        assertThrows(InvalidEncodingException.class, () -> X25519.dh(priv, new byte[32]));
        byte[] one = new byte[32];
        one[0] = 1;
        assertThrows(InvalidEncodingException.class, () -> X25519.dh(priv, one));
        assertArrayEquals(X25519.dh(priv, peer[1]), X25519.dh(priv, peer[1]));
    }

    @Test
    void x25519DhIsTheKeyExchangesAgreementWithTheSameRefusals() throws Exception {
        KeyExchange kx = KeyExchange.x25519();
        byte[][] ours = X25519.generate(new SecureRandom());
        byte[][] peer = X25519.generate(new SecureRandom());
        try (KeyExchangeKeyPair pair = kx.keyPairFromPrivateKey(ours[0])) {
            assertArrayEquals(ours[1], pair.publicKey().encoded());
            assertArrayEquals(kx.agree(pair, peer[1]), X25519.dh(ours[0], peer[1]));
        }
        InvalidEncodingException e = assertThrows(InvalidEncodingException.class,
                () -> X25519.dh(ours[0], new byte[32]));
        assertEquals("X25519 public key rejected: X25519 peer public key is a low-order point (all-zero shared secret)",
                e.getMessage());
        assertInstanceOf(LowOrderPointException.class, e.getCause());
    }
}
