package io.securecomm.noise;

import io.securecomm.noise.internal.Xdh;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * A Noise DH key pair: raw private key bytes and the matching public key, for one {@link NoiseDh}.
 *
 * <p>This is a secret: {@link #toString()} is redacted, there is no value equality, and {@link #close()}
 * wipes the private key. Wiping is best effort on the JVM (the garbage collector may have copied the
 * array). Not thread-safe.
 */
public final class NoiseKeyPair implements AutoCloseable {
    private final NoiseDh dh;
    private final byte[] privateKey;
    private final byte[] publicKey;
    private boolean closed;

    private NoiseKeyPair(NoiseDh dh, byte[] privateKey) {
        this.dh = dh;
        this.privateKey = privateKey;
        this.publicKey = Xdh.publicKey(dh, privateKey);
    }

    /**
     * Generates a key pair: DHLEN random bytes as the private key (the DH function clamps them), as
     * {@code GENERATE_KEYPAIR()} in Noise section 4.1 allows.
     *
     * @param dh the DH function
     * @param random the randomness source
     * @return a fresh key pair
     */
    public static NoiseKeyPair generate(NoiseDh dh, SecureRandom random) {
        Objects.requireNonNull(dh, "dh");
        Objects.requireNonNull(random, "random");
        byte[] raw = new byte[dh.dhLengthBytes()];
        random.nextBytes(raw);
        return new NoiseKeyPair(dh, raw);
    }

    /**
     * Rebuilds a key pair from raw private key bytes (RFC 7748 encoding).
     *
     * @param dh the DH function
     * @param rawPrivateKey DHLEN bytes; copied
     * @return the key pair
     * @throws IllegalArgumentException if the length is not DHLEN
     */
    public static NoiseKeyPair fromPrivateKey(NoiseDh dh, byte[] rawPrivateKey) {
        Objects.requireNonNull(dh, "dh");
        Objects.requireNonNull(rawPrivateKey, "rawPrivateKey");
        if (rawPrivateKey.length != dh.dhLengthBytes()) {
            throw new IllegalArgumentException("a " + dh.specName() + " private key is " + dh.dhLengthBytes()
                    + " bytes, not " + rawPrivateKey.length);
        }
        return new NoiseKeyPair(dh, rawPrivateKey.clone());
    }

    /**
     * Returns the DH function this key pair belongs to.
     *
     * @return the DH function
     */
    public NoiseDh dh() {
        return dh;
    }

    /**
     * Returns the raw public key (DHLEN bytes).
     *
     * @return a copy of the public key
     */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * Returns a copy of the raw private key, for storing it. The caller owns and should wipe the copy.
     *
     * @return a copy of the private key
     * @throws IllegalStateException if the key pair was closed
     */
    public byte[] privateKey() {
        return privateKeyUnsafe().clone();
    }

    /** The private key without a copy, for this package's DH calls. */
    byte[] privateKeyUnsafe() {
        if (closed) {
            throw new IllegalStateException("the key pair was closed");
        }
        return privateKey;
    }

    /** A copy of this key pair, so that a handshake can own and wipe its own. */
    NoiseKeyPair copy() {
        return new NoiseKeyPair(dh, privateKeyUnsafe().clone());
    }

    /** Wipes the private key; later use throws {@link IllegalStateException}. */
    @Override
    public void close() {
        Arrays.fill(privateKey, (byte) 0);
        closed = true;
    }

    /**
     * Returns a redacted description naming only the DH function.
     *
     * @return the description
     */
    @Override
    public String toString() {
        return "NoiseKeyPair[" + dh.specName() + ", private key redacted]";
    }
}
