package io.securecomm.crypto;

import java.util.Arrays;

/**
 * A key pair of one {@link KeyExchange} algorithm: a public key and the SECRET raw private key.
 *
 * <p>A secret, so deliberately not a record: {@code toString()} is redacted, {@code equals} is identity, and
 * {@link #close()} wipes the private key bytes (best effort on the JVM: the JCA provider's key objects and the
 * garbage collector may hold copies). Only a {@link KeyExchange} creates instances. Thread-safe for reading;
 * close it once, when no longer used.
 */
public final class KeyExchangeKeyPair implements AutoCloseable {
    private final KeyExchangePublicKey publicKey;
    private final byte[] privateKey;
    private volatile boolean closed;

    KeyExchangeKeyPair(KeyExchangePublicKey publicKey, byte[] privateKey) {
        this.publicKey = publicKey;
        this.privateKey = privateKey;
    }

    /**
     * Returns the algorithm name.
     *
     * @return the {@link KeyExchange#name()} of this key pair
     */
    public String algorithm() {
        return publicKey.algorithm();
    }

    /**
     * Returns the public key.
     *
     * @return the public half (remains usable after {@link #close()})
     */
    public KeyExchangePublicKey publicKey() {
        return publicKey;
    }

    /**
     * Returns a copy of the raw SECRET private key, for the owner to store in a key file. The caller owns the copy
     * and must wipe it. {@link KeyExchange#keyPairFromPrivateKey(byte[])} reverses this.
     *
     * @return a fresh copy of the raw private key
     * @throws IllegalStateException if the key pair is closed
     */
    public byte[] exportPrivateKeyBytes() {
        return privateKeyNoCopy().clone();
    }

    byte[] privateKeyNoCopy() {
        if (closed) {
            throw new IllegalStateException(publicKey.algorithm() + " key pair is closed");
        }
        return privateKey;
    }

    /** Wipes the private key bytes; later private-key use throws {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        closed = true;
        Arrays.fill(privateKey, (byte) 0);
    }

    /**
     * Describes the key pair without revealing the private key.
     *
     * @return the algorithm, the public key and a redaction marker
     */
    @Override
    public String toString() {
        return "KeyExchangeKeyPair[" + publicKey + ", private=<redacted>" + (closed ? ", closed" : "") + "]";
    }
}
