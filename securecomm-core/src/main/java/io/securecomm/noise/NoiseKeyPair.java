package io.securecomm.noise;

import io.securecomm.crypto.InvalidPublicKeyException;
import io.securecomm.crypto.KeyExchange;
import io.securecomm.crypto.KeyExchangeKeyPair;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;

/**
 * A Noise DH key pair: raw private key bytes and the matching public key, for one {@link NoiseDh}. The DH
 * itself is the crypto layer's {@link KeyExchange#x25519()} or {@link KeyExchange#x448()}, with raw
 * RFC 7748 encodings.
 *
 * <p>This is a secret: {@link #toString()} is redacted, there is no value equality, and {@link #close()}
 * wipes the private key. Wiping is best effort on the JVM (the garbage collector may have copied the
 * array). Not thread-safe.
 */
public final class NoiseKeyPair implements AutoCloseable {
    private final NoiseDh dh;
    private final KeyExchangeKeyPair keyPair;
    private final byte[] publicKey;

    private NoiseKeyPair(NoiseDh dh, byte[] privateKey) {
        this.dh = dh;
        this.keyPair = keyExchange(dh).keyPairFromPrivateKey(privateKey);
        this.publicKey = keyPair.publicKey().encoded();
    }

    static KeyExchange keyExchange(NoiseDh dh) {
        return dh == NoiseDh.X25519 ? KeyExchange.x25519() : KeyExchange.x448();
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
        try {
            random.nextBytes(raw);
            return new NoiseKeyPair(dh, raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
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
        return new NoiseKeyPair(dh, rawPrivateKey);
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
        return keyPair.exportPrivateKeyBytes();
    }

    /**
     * {@code DH(key_pair, public_key)} of section 4.1.
     *
     * @throws InvalidPublicKeyException if the peer's key is rejected, such as a low-order point whose
     *     output would be all zeros
     */
    byte[] dh(byte[] remotePublicKey) throws InvalidPublicKeyException {
        return keyExchange(dh).agree(keyPair, remotePublicKey);
    }

    /** A copy of this key pair, so that a handshake can own and wipe its own. */
    NoiseKeyPair copy() {
        byte[] raw = keyPair.exportPrivateKeyBytes();
        try {
            return new NoiseKeyPair(dh, raw);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** Wipes the private key; later use throws {@link IllegalStateException}. */
    @Override
    public void close() {
        keyPair.close();
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
