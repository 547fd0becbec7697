package io.securecomm.crypto;

import java.util.Objects;

/**
 * Authenticated encryption with associated data that chooses its own nonces, so a caller cannot reuse one by
 * mistake (the shape of Tink's {@code Aead}).
 *
 * <p>Each encryption draws a fresh random 96-bit nonce from {@link java.security.SecureRandom} and prepends it:
 * <pre>
 * +----------------+------------------------------+-----------------+
 * | nonce (12)     | ciphertext (plaintext length) | tag (16)        |
 * +----------------+------------------------------+-----------------+
 * </pre>
 * With random 96-bit nonces the probability of a repeat stays below 2^-32 for up to 2^32 messages per key
 * (NIST SP 800-38D section 8.3); an instance therefore refuses to encrypt more than 2^32 messages. Use a new
 * key before then.
 *
 * <p>Implementations are thread-safe. {@link #close()} wipes the instance's copy of the key.
 */
public sealed interface Aead extends AutoCloseable permits RandomNonceAead {
    /** Bytes added to every plaintext: the 12-byte nonce and the 16-byte tag. */
    int OVERHEAD_BYTES = AeadAlgorithm.NONCE_SIZE_BYTES + AeadAlgorithm.TAG_SIZE_BYTES;

    /**
     * Creates an AEAD for a key, of the key's algorithm. The instance keeps its own copy of the key bytes; closing
     * the instance wipes that copy, closing the key wipes the key's.
     *
     * <pre>{@code
     * try (AeadKey key = AeadKey.generate(AeadAlgorithm.CHACHA20_POLY1305); Aead aead = Aead.create(key)) {
     *     byte[] sealed = aead.encrypt(plaintext, associatedData);
     * }
     * }</pre>
     *
     * @param key the key ({@link AeadKey#generate}, {@link AeadKey#deriveFromSharedSecret} or
     *     {@link AeadKey#fromBytes})
     * @return a new instance
     * @throws IllegalStateException if the key is closed
     */
    static Aead create(AeadKey key) {
        Objects.requireNonNull(key, "key");
        return new RandomNonceAead(ExplicitNonceAead.create(key.algorithm(), key.bytes()));
    }

    /**
     * Returns the algorithm.
     *
     * @return the AEAD algorithm
     */
    AeadAlgorithm algorithm();

    /**
     * Encrypts and authenticates under a fresh random nonce.
     *
     * @param plaintext the plaintext; may be empty
     * @param associatedData data authenticated but not encrypted; may be empty
     * @return nonce, ciphertext and tag ({@link #OVERHEAD_BYTES} longer than the plaintext)
     * @throws IllegalStateException if this instance is closed or has encrypted 2^32 messages
     */
    byte[] encrypt(byte[] plaintext, byte[] associatedData);

    /**
     * Encrypts into a caller's buffer, without allocating.
     *
     * @param plaintext the array holding the plaintext
     * @param offset where the plaintext starts
     * @param length the plaintext length
     * @param associatedData data authenticated but not encrypted; may be empty
     * @param out the array receiving nonce, ciphertext and tag; needs {@code length + OVERHEAD_BYTES} bytes
     * @param outOffset where to write; the output range must not overlap the input
     * @return the number of bytes written, {@code length + OVERHEAD_BYTES}
     * @throws IllegalArgumentException if a range is out of bounds
     * @throws IllegalStateException if this instance is closed or has encrypted 2^32 messages
     */
    int encrypt(byte[] plaintext, int offset, int length, byte[] associatedData, byte[] out, int outOffset);

    /**
     * Authenticates and decrypts the output of {@link #encrypt(byte[], byte[])}.
     *
     * @param ciphertext nonce, ciphertext and tag
     * @param associatedData the associated data given to encrypt
     * @return the plaintext
     * @throws AeadAuthenticationException if anything was modified, the key is wrong or the input is shorter than
     *     {@link #OVERHEAD_BYTES}; no plaintext is released
     * @throws IllegalStateException if this instance is closed
     */
    byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws AeadAuthenticationException;

    /**
     * Authenticates and decrypts into a caller's buffer, without allocating. On failure the output range is
     * zeroed.
     *
     * @param ciphertext the array holding nonce, ciphertext and tag
     * @param offset where the nonce starts
     * @param length the length of nonce, ciphertext and tag
     * @param associatedData the associated data given to encrypt
     * @param out the array receiving the plaintext; needs {@code length - OVERHEAD_BYTES} bytes
     * @param outOffset where to write
     * @return the number of plaintext bytes written
     * @throws AeadAuthenticationException if anything was modified, the key is wrong or the input is too short
     * @throws IllegalArgumentException if a range is out of bounds
     * @throws IllegalStateException if this instance is closed
     */
    int decrypt(byte[] ciphertext, int offset, int length, byte[] associatedData, byte[] out, int outOffset)
            throws AeadAuthenticationException;

    /** Wipes this instance's copy of the key; later calls throw {@link IllegalStateException}. Idempotent. */
    @Override
    void close();
}
