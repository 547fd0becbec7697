package io.securecomm.crypto;

/**
 * The AEAD algorithms securecomm supports, both with a 256-bit key, a 96-bit nonce and a 128-bit tag.
 *
 * <p>Other key and nonce sizes (AES-128, AES-192, 64-bit or 128-bit nonces) are deliberately not supported:
 * one size per algorithm leaves nothing to negotiate down.
 */
public enum AeadAlgorithm {
    /** ChaCha20-Poly1305 as specified in RFC 8439 (JCA {@code ChaCha20-Poly1305}). */
    CHACHA20_POLY1305("ChaCha20-Poly1305", "ChaCha20"),
    /** AES-256 in Galois/Counter Mode (NIST SP 800-38D) with a 128-bit tag (JCA {@code AES/GCM/NoPadding}). */
    AES_256_GCM("AES/GCM/NoPadding", "AES");

    /** The key size of every algorithm here, in bytes. */
    public static final int KEY_SIZE_BYTES = 32;
    /** The nonce size of every algorithm here, in bytes. */
    public static final int NONCE_SIZE_BYTES = 12;
    /** The authentication tag size of every algorithm here, in bytes. */
    public static final int TAG_SIZE_BYTES = 16;

    private final String jcaTransformation;
    private final String jcaKeyAlgorithm;

    AeadAlgorithm(String jcaTransformation, String jcaKeyAlgorithm) {
        this.jcaTransformation = jcaTransformation;
        this.jcaKeyAlgorithm = jcaKeyAlgorithm;
    }

    /**
     * Returns the key size.
     *
     * @return the key size in bytes, {@value #KEY_SIZE_BYTES}
     */
    public int keySizeBytes() {
        return KEY_SIZE_BYTES;
    }

    /**
     * Returns the nonce size.
     *
     * @return the nonce size in bytes, {@value #NONCE_SIZE_BYTES}
     */
    public int nonceSizeBytes() {
        return NONCE_SIZE_BYTES;
    }

    /**
     * Returns the tag size.
     *
     * @return the authentication tag size in bytes, {@value #TAG_SIZE_BYTES}
     */
    public int tagSizeBytes() {
        return TAG_SIZE_BYTES;
    }

    String jcaTransformation() {
        return jcaTransformation;
    }

    String jcaKeyAlgorithm() {
        return jcaKeyAlgorithm;
    }
}
