package io.securecomm.e2e.internal;

import io.securecomm.e2e.InvalidEncodingException;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.KeyAgreement;

/**
 * X25519 (RFC 7748) on raw 32-byte keys through the JDK's {@code XDH} provider: the {@code DH}
 * function of X3DH and the Double Ratchet. A peer's public key that yields an all-zero shared secret
 * (a small-order point) is refused. Thread-safe (stateless).
 */
public final class X25519 {
    /** Length of public keys, private keys and shared secrets. */
    public static final int KEY_BYTES = 32;

    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00};
    private static final byte[] PKCS8_PREFIX = {0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e,
        0x04, 0x22, 0x04, 0x20};

    private X25519() {}

    /**
     * Generates a key pair.
     *
     * @param random the randomness source
     * @return {@code [private key (32), public key (32)]}
     */
    public static byte[][] generate(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("X25519");
            g.initialize(255, random);
            KeyPair kp = g.generateKeyPair();
            byte[] priv = ((XECPrivateKey) kp.getPrivate()).getScalar()
                    .orElseThrow(() -> new IllegalStateException("XDH provider hides the private key bytes"));
            byte[] spki = kp.getPublic().getEncoded();
            return new byte[][] {priv, Arrays.copyOfRange(spki, spki.length - KEY_BYTES, spki.length)};
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks X25519", e);
        }
    }

    /**
     * Computes {@code DH(privateKey, publicKey)}.
     *
     * @param privateKey our 32-byte private key
     * @param publicKey the peer's 32-byte public key
     * @return the 32-byte shared secret
     * @throws InvalidEncodingException if the public key has the wrong length or is a small-order point
     */
    public static byte[] dh(byte[] privateKey, byte[] publicKey) throws InvalidEncodingException {
        if (publicKey.length != KEY_BYTES) {
            throw new InvalidEncodingException("X25519 public key must be 32 bytes, was " + publicKey.length);
        }
        if (privateKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("X25519 private key must be 32 bytes, was " + privateKey.length);
        }
        byte[] pkcs8 = Ed25519.concat(PKCS8_PREFIX, privateKey);
        try {
            KeyFactory f = KeyFactory.getInstance("X25519");
            PrivateKey priv = f.generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            PublicKey pub = f.generatePublic(new X509EncodedKeySpec(Ed25519.concat(SPKI_PREFIX, publicKey)));
            KeyAgreement ka = KeyAgreement.getInstance("X25519");
            ka.init(priv);
            ka.doPhase(pub, true);
            byte[] shared = ka.generateSecret();
            if (isZero(shared)) {
                throw new InvalidEncodingException("X25519 public key is a small-order point");
            }
            return shared;
        } catch (InvalidKeySpecException | InvalidKeyException e) {
            throw new InvalidEncodingException("X25519 public key rejected: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK lacks X25519", e);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    private static boolean isZero(byte[] b) {
        int acc = 0;
        for (byte x : b) {
            acc |= x;
        }
        return acc == 0;
    }
}
