package io.securecomm.e2e.internal;

import io.securecomm.crypto.InvalidPublicKeyException;
import io.securecomm.crypto.KeyExchange;
import io.securecomm.crypto.KeyExchangeKeyPair;
import io.securecomm.e2e.InvalidEncodingException;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.XECPrivateKey;
import java.util.Arrays;

/**
 * X25519 (RFC 7748) on raw 32-byte keys: the {@code DH} function of X3DH and the Double Ratchet,
 * delegating the agreement to the crypto layer's {@link KeyExchange#x25519()}. A peer's public key
 * that yields an all-zero shared secret (a low-order point) is refused. Thread-safe (stateless).
 */
public final class X25519 {
    /** Length of public keys, private keys and shared secrets. */
    public static final int KEY_BYTES = 32;

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
     * Computes {@code DH(privateKey, publicKey)} with the crypto layer's {@link KeyExchange#x25519()},
     * which refuses low-order points.
     *
     * @param privateKey our 32-byte private key
     * @param publicKey the peer's 32-byte public key
     * @return the 32-byte shared secret
     * @throws InvalidEncodingException if the public key has the wrong length or is a low-order point
     */
    public static byte[] dh(byte[] privateKey, byte[] publicKey) throws InvalidEncodingException {
        if (publicKey.length != KEY_BYTES) {
            throw new InvalidEncodingException("X25519 public key must be 32 bytes, was " + publicKey.length);
        }
        if (privateKey.length != KEY_BYTES) {
            throw new IllegalArgumentException("X25519 private key must be 32 bytes, was " + privateKey.length);
        }
        KeyExchange kx = KeyExchange.x25519();
        try (KeyExchangeKeyPair ours = kx.keyPairFromPrivateKey(privateKey)) {
            return kx.agree(ours, publicKey);
        } catch (InvalidPublicKeyException e) {
            throw new InvalidEncodingException("X25519 public key rejected: " + e.getMessage(), e);
        }
    }
}
