package io.securecomm.e2e.internal;

import io.securecomm.crypto.internal.Curve25519;
import java.security.SecureRandom;

/**
 * Ed25519 (RFC 8032, pure, no context) on raw 32-byte keys and 64-byte signatures, computed by the crypto
 * layer's {@link Curve25519#selected()} (Bouncy Castle's {@code rfc8032} code unless configured otherwise).
 * Thread-safe (stateless).
 */
public final class Ed25519 {
    /** Length of a public key. */
    public static final int PUBLIC_KEY_BYTES = Curve25519.KEY_BYTES;
    /** Length of a private key (the RFC 8032 seed). */
    public static final int PRIVATE_KEY_BYTES = Curve25519.KEY_BYTES;
    /** Length of a signature. */
    public static final int SIGNATURE_BYTES = Curve25519.SIGNATURE_BYTES;

    private Ed25519() {}

    /**
     * Generates a key pair.
     *
     * @param random the randomness source
     * @return {@code [private seed (32), public key (32)]}
     */
    public static byte[][] generate(SecureRandom random) {
        return Curve25519.selected().ed25519Generate(random);
    }

    /**
     * Signs a message.
     *
     * @param privateKey the 32-byte seed
     * @param message the message
     * @return the 64-byte signature
     * @throws IllegalArgumentException if the private key is not 32 bytes
     */
    public static byte[] sign(byte[] privateKey, byte[] message) {
        return Curve25519.selected().ed25519Sign(privateKey, message);
    }

    /**
     * Verifies a signature. Malformed keys or signatures (wrong length, not a curve point, a
     * non-canonical scalar) are rejected like forged ones.
     *
     * @param publicKey the 32-byte public key
     * @param message the message
     * @param signature the signature
     * @return whether the signature is valid
     */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        return Curve25519.selected().ed25519Verify(publicKey, message, signature);
    }

    /**
     * Concatenates byte arrays.
     *
     * @param parts the arrays
     * @return a fresh array
     */
    public static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int o = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, o, p.length);
            o += p.length;
        }
        return out;
    }
}
