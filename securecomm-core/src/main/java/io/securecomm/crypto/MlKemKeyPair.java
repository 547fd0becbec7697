package io.securecomm.crypto;

import io.securecomm.crypto.internal.MlKem1024Engine;
import java.util.Arrays;
import java.util.Objects;

/**
 * An ML-KEM-1024 key pair: the public {@link MlKemPublicKey} and the SECRET decapsulation key, kept as its
 * {@value MlKem1024#SEED_BYTES}-byte seed {@code d || z} (FIPS 203's {@code ML-KEM.KeyGen_internal} inputs) and
 * expanded once in memory.
 *
 * <p>A secret, so deliberately not a record: {@code toString()} is redacted, {@code equals} is identity, and
 * {@link #close()} wipes the seed and the expanded key (best effort on the JVM: Bouncy Castle's key object and the
 * garbage collector may hold copies). Only {@link MlKem1024} creates instances. Thread-safe for use; close it once,
 * when no longer used.
 */
public final class MlKemKeyPair implements AutoCloseable {
    private final MlKemPublicKey publicKey;
    private final byte[] seed;
    private final MlKem1024Engine.DecapsulationKey key;
    private volatile boolean closed;

    MlKemKeyPair(byte[] seed) {
        this.seed = seed.clone();
        this.key = MlKem1024Engine.DecapsulationKey.fromSeed(seed);
        this.publicKey = new MlKemPublicKey(key.publicKey());
    }

    /**
     * Returns the public key.
     *
     * @return the encapsulation key (remains usable after {@link #close()})
     */
    public MlKemPublicKey publicKey() {
        return publicKey;
    }

    /**
     * Recovers the shared secret from a ciphertext made for this key ({@code ML-KEM.Decaps}). A ciphertext made for
     * another key, or changed on the way, does not fail here: ML-KEM then returns an unrelated pseudo-random secret
     * (implicit rejection), so the caller must authenticate something with the secret before trusting it.
     *
     * @param ciphertext {@value MlKem1024#CIPHERTEXT_BYTES} bytes
     * @return the {@value MlKem1024#SHARED_SECRET_BYTES}-byte shared secret; the caller owns and wipes it
     * @throws IllegalArgumentException if the ciphertext is not {@value MlKem1024#CIPHERTEXT_BYTES} bytes
     * @throws IllegalStateException if the key pair is closed
     */
    public byte[] decapsulate(byte[] ciphertext) {
        Objects.requireNonNull(ciphertext, "ciphertext");
        checkOpen();
        return key.decapsulate(ciphertext);
    }

    /**
     * Returns a copy of the SECRET seed, for the owner to store; {@link MlKem1024#keyPairFromSeed(byte[])} reverses
     * this. The caller owns the copy and must wipe it.
     *
     * @return a fresh copy of the {@value MlKem1024#SEED_BYTES}-byte seed
     * @throws IllegalStateException if the key pair is closed
     */
    public byte[] exportSeed() {
        checkOpen();
        return seed.clone();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("ML-KEM-1024 key pair is closed");
        }
    }

    /** Wipes the seed and the expanded key; later private-key use throws {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        closed = true;
        Arrays.fill(seed, (byte) 0);
        key.destroy();
    }

    /**
     * Describes the key pair without revealing the private key.
     *
     * @return the public key and a redaction marker
     */
    @Override
    public String toString() {
        return "MlKemKeyPair[" + publicKey + ", private=<redacted>" + (closed ? ", closed" : "") + "]";
    }
}
