package io.securecomm.crypto;

import java.util.Arrays;
import java.util.Objects;

/**
 * A secret key for an {@link Aead}: {@link AeadAlgorithm#KEY_SIZE_BYTES} random bytes bound to one algorithm.
 *
 * <p>A secret, so deliberately not a record: {@code toString()} is redacted, {@code equals} is identity, and
 * {@link #close()} wipes the bytes (best effort on the JVM: the garbage collector may have copied them).
 * Thread-safe for reading; close it once, when no {@link Aead} uses it any more.
 */
public final class AeadKey implements AutoCloseable {
    private final AeadAlgorithm algorithm;
    private final byte[] keyBytes;
    private volatile boolean closed;

    private AeadKey(AeadAlgorithm algorithm, byte[] keyBytes) {
        this.algorithm = algorithm;
        this.keyBytes = keyBytes;
    }

    /**
     * Generates a fresh random key with the JDK's {@link java.security.SecureRandom}.
     *
     * @param algorithm the algorithm the key is for
     * @return a new key, which the caller must close
     */
    public static AeadKey generate(AeadAlgorithm algorithm) {
        Objects.requireNonNull(algorithm, "algorithm");
        byte[] bytes = new byte[algorithm.keySizeBytes()];
        JcaSupport.random().nextBytes(bytes);
        return new AeadKey(algorithm, bytes);
    }

    /**
     * Wraps existing key bytes, for example a key read from storage. The array is copied; wipe yours.
     *
     * @param algorithm the algorithm the key is for
     * @param keyBytes exactly {@link AeadAlgorithm#KEY_SIZE_BYTES} bytes
     * @return a new key, which the caller must close
     * @throws IllegalArgumentException if the length is wrong
     */
    public static AeadKey fromBytes(AeadAlgorithm algorithm, byte[] keyBytes) {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(keyBytes, "keyBytes");
        if (keyBytes.length != algorithm.keySizeBytes()) {
            throw new IllegalArgumentException(
                    algorithm + " key must be " + algorithm.keySizeBytes() + " bytes, got " + keyBytes.length);
        }
        return new AeadKey(algorithm, keyBytes.clone());
    }

    /**
     * Derives a key from a shared secret, such as the output of {@link KeyExchange#agree}, with HKDF-SHA256 (RFC
     * 5869): {@code HKDF(salt, sharedSecret, info, KEY_SIZE_BYTES)}. A Diffie-Hellman output is not a uniformly
     * random key and must never be used as one directly; HKDF turns it into one. The intermediate values are wiped;
     * the shared secret stays the caller's to wipe.
     *
     * <pre>{@code
     * byte[] shared = x25519.agree(myKeyPair, theirPublicKey);
     * try (AeadKey key = AeadKey.deriveFromSharedSecret(AeadAlgorithm.CHACHA20_POLY1305, shared, null,
     *         "myapp v1: alice to bob".getBytes(StandardCharsets.UTF_8))) {
     *     ...
     * } finally {
     *     Arrays.fill(shared, (byte) 0);
     * }
     * }</pre>
     *
     * <p>Both sides must use the same {@code salt} and {@code info}. Let {@code info} name the application, its
     * version and the key's purpose (and direction, if each direction gets its own key), so that one shared secret
     * never yields the same key for two uses. A shared secret from an unauthenticated key exchange gives a key
     * shared with whoever answered: authenticate the public keys first (a handshake such as Noise, or compared
     * {@link Fingerprint}s).
     *
     * @param algorithm the algorithm the key is for
     * @param sharedSecret the input keying material, at least 16 bytes (not kept, not wiped)
     * @param salt an optional salt ({@code null} or empty: RFC 5869's default of zeros); public, fixed or random
     * @param info context that binds the key to its use; {@code null} means empty (discouraged)
     * @return a new key, which the caller must close
     * @throws IllegalArgumentException if the shared secret is shorter than 16 bytes
     */
    public static AeadKey deriveFromSharedSecret(AeadAlgorithm algorithm, byte[] sharedSecret, byte[] salt,
            byte[] info) {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(sharedSecret, "sharedSecret");
        if (sharedSecret.length < 16) {
            throw new IllegalArgumentException("a shared secret of " + sharedSecret.length + " bytes is too short to"
                    + " derive a key from; at least 16 bytes");
        }
        // Hkdf.derive wipes its pseudorandom key; the output becomes the key's own array, wiped on close.
        return new AeadKey(algorithm, Hkdf.derive(salt, sharedSecret, info, algorithm.keySizeBytes()));
    }

    /**
     * Returns the algorithm.
     *
     * @return the algorithm this key is for
     */
    public AeadAlgorithm algorithm() {
        return algorithm;
    }

    /**
     * Returns a copy of the raw SECRET key bytes, for storing the key. The caller owns the copy and must wipe it.
     *
     * @return a fresh copy of the key bytes
     * @throws IllegalStateException if the key is closed
     */
    public byte[] exportSecretKeyBytes() {
        return bytes().clone();
    }

    byte[] bytes() {
        if (closed) {
            throw new IllegalStateException("AeadKey is closed");
        }
        return keyBytes;
    }

    /** Wipes the key bytes; later use throws {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        closed = true;
        Arrays.fill(keyBytes, (byte) 0);
    }

    /**
     * Describes the key without revealing it.
     *
     * @return the algorithm and a redaction marker
     */
    @Override
    public String toString() {
        return "AeadKey[" + algorithm + ", <redacted>]";
    }
}
