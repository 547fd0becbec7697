package io.securecomm.noise.internal;

import io.securecomm.crypto.AeadAuthenticationException;

/**
 * An AEAD with caller-chosen nonces, into caller buffers: the cipher under a Noise {@code CipherState}. The caller
 * MUST NEVER reuse a nonce with the same key. The contract is {@link io.securecomm.crypto.ExplicitNonceAead}'s
 * buffer variants: 12-byte nonces, a 16-byte tag after the ciphertext, in place only with equal offsets, and on a
 * failed {@code open} the output range zeroed.
 *
 * <p>Not thread-safe: confine an instance to one thread (one {@code CipherState}).
 */
public interface RecordAead extends AutoCloseable {
    /**
     * Encrypts and authenticates.
     *
     * @param nonce the 12-byte nonce, never reused with this key
     * @param associatedData data authenticated but not encrypted; may be empty
     * @param in the array holding the plaintext
     * @param inOff where the plaintext starts
     * @param inLen the plaintext length
     * @param out receives ciphertext and tag: {@code inLen + 16} bytes from {@code outOff}
     * @param outOff where to write
     * @return the number of bytes written, {@code inLen + 16}
     * @throws IllegalArgumentException if the nonce has the wrong length or equals the previous encryption's, or a
     *     range is out of bounds
     * @throws IllegalStateException if this instance is closed
     */
    int seal(byte[] nonce, byte[] associatedData, byte[] in, int inOff, int inLen, byte[] out, int outOff);

    /**
     * Authenticates and decrypts; on failure the output range is zeroed.
     *
     * @param nonce the 12-byte nonce used to seal
     * @param associatedData the associated data used to seal; may be empty
     * @param in the array holding ciphertext and tag
     * @param inOff where the ciphertext starts
     * @param inLen the length of ciphertext and tag
     * @param out receives the plaintext: {@code inLen - 16} bytes from {@code outOff}
     * @param outOff where to write
     * @return the number of plaintext bytes written, {@code inLen - 16}
     * @throws AeadAuthenticationException if anything was modified, the key is wrong or {@code inLen < 16}
     * @throws IllegalArgumentException if the nonce has the wrong length or a range is out of bounds
     * @throws IllegalStateException if this instance is closed
     */
    int open(byte[] nonce, byte[] associatedData, byte[] in, int inOff, int inLen, byte[] out, int outOff)
            throws AeadAuthenticationException;

    /** Forgets the key (best effort on the JVM); later calls throw {@link IllegalStateException}. Idempotent. */
    @Override
    void close();
}
