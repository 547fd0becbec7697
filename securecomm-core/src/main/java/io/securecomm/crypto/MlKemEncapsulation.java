package io.securecomm.crypto;

import java.util.Arrays;

/**
 * The result of one ML-KEM-1024 encapsulation: the ciphertext to send to the key's owner, and the SECRET shared
 * secret it carries.
 *
 * <p>A secret, so deliberately not a record: {@code toString()} is redacted, {@code equals} is identity, and
 * {@link #close()} wipes the shared secret (best effort on the JVM). Not thread-safe.
 */
public final class MlKemEncapsulation implements AutoCloseable {
    private final byte[] ciphertext;
    private final byte[] sharedSecret;
    private boolean closed;

    MlKemEncapsulation(byte[] ciphertext, byte[] sharedSecret) {
        this.ciphertext = ciphertext;
        this.sharedSecret = sharedSecret;
    }

    /**
     * Returns the ciphertext, public.
     *
     * @return a fresh copy of the {@value MlKem1024#CIPHERTEXT_BYTES} bytes
     */
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    /**
     * Returns a copy of the shared secret.
     *
     * @return the {@value MlKem1024#SHARED_SECRET_BYTES} SECRET bytes; the caller owns and wipes them
     * @throws IllegalStateException if closed
     */
    public byte[] sharedSecret() {
        if (closed) {
            throw new IllegalStateException("ML-KEM-1024 encapsulation is closed");
        }
        return sharedSecret.clone();
    }

    /** Wipes the shared secret. Idempotent. */
    @Override
    public void close() {
        closed = true;
        Arrays.fill(sharedSecret, (byte) 0);
    }

    /**
     * Redacted.
     *
     * @return a description without the shared secret
     */
    @Override
    public String toString() {
        return "MlKemEncapsulation[ciphertext=" + ciphertext.length + " bytes, sharedSecret=<redacted>]";
    }
}
