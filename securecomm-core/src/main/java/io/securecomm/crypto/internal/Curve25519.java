package io.securecomm.crypto.internal;

import java.security.SecureRandom;
import java.util.Locale;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Who computes X25519 (RFC 7748) and Ed25519 (RFC 8032, pure, no context) for securecomm, on raw 32-byte keys and
 * 64-byte signatures: Bouncy Castle's lightweight classes ({@link #BOUNCY_CASTLE}, the default) or the JDK's
 * providers ({@link #JCA}). Both compute the same functions with the same strictness, which the tests check
 * against the RFC and Wycheproof vectors for each: X25519 clamps scalars, ignores bit 255 of u and reduces u mod p;
 * Ed25519 verification rejects {@code S >= L}, public keys and {@code R} values that are not points, and every
 * malformed input, by returning false.
 *
 * <p>{@link #selected()} is the one the library uses: {@link #BOUNCY_CASTLE} unless the system property
 * {@value #PROPERTY} is {@code jca} when the class is first used (for comparisons such as the benchmarks', and as a
 * way back should a Bouncy Castle release misbehave).
 *
 * <p>Stateless and thread-safe. Arrays passed in are neither kept nor modified.
 */
public enum Curve25519 implements XdhFunction {
    /** The JDK's {@code XDH} and {@code Ed25519} providers. */
    JCA {
        @Override
        public boolean scalarMult(byte[] scalar, byte[] u, byte[] out) {
            return JcaXdh.X25519.scalarMult(scalar, u, out);
        }

        @Override
        public void scalarMultBase(byte[] scalar, byte[] out) {
            JcaXdh.X25519.scalarMultBase(scalar, out);
        }

        @Override
        public byte[][] ed25519Generate(SecureRandom random) {
            return JcaEd25519.generate(random);
        }

        @Override
        byte[] sign(byte[] seed, byte[] message) {
            return JcaEd25519.sign(seed, message);
        }

        @Override
        boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
            return JcaEd25519.verify(publicKey, message, signature);
        }
    },

    /** Bouncy Castle's {@code org.bouncycastle.math.ec.rfc7748.X25519} and {@code rfc8032.Ed25519}. */
    BOUNCY_CASTLE {
        @Override
        public boolean scalarMult(byte[] scalar, byte[] u, byte[] out) {
            return X25519.calculateAgreement(scalar, 0, u, 0, out, 0);
        }

        @Override
        public void scalarMultBase(byte[] scalar, byte[] out) {
            X25519.scalarMultBase(scalar, 0, out, 0);
        }

        @Override
        public byte[][] ed25519Generate(SecureRandom random) {
            byte[] seed = new byte[KEY_BYTES];
            byte[] publicKey = new byte[KEY_BYTES];
            Ed25519.generatePrivateKey(random, seed);
            Ed25519.generatePublicKey(seed, 0, publicKey, 0);
            return new byte[][] {seed, publicKey};
        }

        @Override
        byte[] sign(byte[] seed, byte[] message) {
            byte[] signature = new byte[SIGNATURE_BYTES];
            Ed25519.sign(seed, 0, message, 0, message.length, signature, 0);
            return signature;
        }

        @Override
        boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
            return Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
        }
    };

    /** The system property that selects the implementation: {@code bouncycastle} (the default) or {@code jca}. */
    public static final String PROPERTY = "securecomm.curve25519";
    /** Length of X25519 scalars and u-coordinates, and of Ed25519 seeds and public keys. */
    public static final int KEY_BYTES = 32;
    /** Length of an Ed25519 signature. */
    public static final int SIGNATURE_BYTES = 64;

    /**
     * Returns the implementation the library uses, chosen by {@value #PROPERTY} when this class is first used.
     *
     * @return the selected implementation
     * @throws IllegalStateException if the property names neither implementation
     */
    public static Curve25519 selected() {
        Curve25519 selected = Selection.SELECTED;
        if (selected == null) {
            throw new IllegalStateException("system property " + PROPERTY + " is '" + Selection.VALUE
                    + "'; expected 'bouncycastle' (the default) or 'jca'");
        }
        return selected;
    }

    @Override
    public final int sizeBytes() {
        return KEY_BYTES;
    }

    /**
     * Generates an X25519 key pair: 32 random bytes (RFC 7748 section 6.1) and their public key.
     *
     * @param random the randomness source
     * @return {@code [private key (32), public key (32)]}
     */
    public final byte[][] x25519Generate(SecureRandom random) {
        byte[] privateKey = new byte[KEY_BYTES];
        random.nextBytes(privateKey);
        byte[] publicKey = new byte[KEY_BYTES];
        scalarMultBase(privateKey, publicKey);
        return new byte[][] {privateKey, publicKey};
    }

    /**
     * Generates an Ed25519 key pair.
     *
     * @param random the randomness source
     * @return {@code [seed (32), public key (32)]}
     */
    public abstract byte[][] ed25519Generate(SecureRandom random);

    /**
     * Signs a message with Ed25519.
     *
     * @param seed the 32-byte private key (the RFC 8032 seed)
     * @param message the message
     * @return the 64-byte signature
     * @throws IllegalArgumentException if the seed is not 32 bytes
     */
    public final byte[] ed25519Sign(byte[] seed, byte[] message) {
        if (seed.length != KEY_BYTES) {
            throw new IllegalArgumentException("Ed25519 private key must be 32 bytes, was " + seed.length);
        }
        return sign(seed, message);
    }

    /**
     * Verifies an Ed25519 signature. A key or signature of the wrong length, a key or {@code R} that is not a
     * point, and a non-canonical {@code S} are rejected like a forgery.
     *
     * @param publicKey the public key, valid only if 32 bytes
     * @param message the message
     * @param signature the signature, valid only if 64 bytes
     * @return whether the signature is valid
     */
    public final boolean ed25519Verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey.length != KEY_BYTES || signature.length != SIGNATURE_BYTES) {
            return false;
        }
        return verify(publicKey, message, signature);
    }

    abstract byte[] sign(byte[] seed, byte[] message);

    abstract boolean verify(byte[] publicKey, byte[] message, byte[] signature);

    /** Reads the property once, on first use, so that a benchmark can set it before anything is computed. */
    private static final class Selection {
        static final String VALUE = System.getProperty(PROPERTY, "bouncycastle");
        static final Curve25519 SELECTED = switch (VALUE.toLowerCase(Locale.ROOT)) {
            case "bouncycastle", "bc" -> BOUNCY_CASTLE;
            case "jca", "jdk" -> JCA;
            default -> null;
        };
    }
}
