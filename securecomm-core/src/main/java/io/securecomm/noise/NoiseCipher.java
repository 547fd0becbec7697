package io.securecomm.noise;

/**
 * The cipher functions of Noise revision 34 (section 12.3 and 12.4): AEADs with 32-byte keys and 16-byte
 * tags, which differ in how the 64-bit counter {@code n} becomes a 96-bit nonce.
 *
 * <pre>
 *  ChaChaPoly nonce: | 00 00 00 00 | n, 8 bytes little-endian |
 *  AESGCM nonce:     | 00 00 00 00 | n, 8 bytes big-endian    |
 * </pre>
 */
public enum NoiseCipher {
    /** {@code ChaChaPoly}: ChaCha20-Poly1305 (RFC 8439), little-endian counter. */
    CHACHA_POLY("ChaChaPoly"),
    /** {@code AESGCM}: AES-256-GCM, big-endian counter. */
    AES_GCM("AESGCM");

    /** The size of cipher keys, in bytes. */
    public static final int KEY_SIZE_BYTES = 32;
    /** The size of the authentication tag every encryption appends, in bytes. */
    public static final int TAG_SIZE_BYTES = 16;

    private final String specName;

    NoiseCipher(String specName) {
        this.specName = specName;
    }

    /**
     * Returns the name used in Noise protocol names, such as {@code "ChaChaPoly"}.
     *
     * @return the spec name
     */
    public String specName() {
        return specName;
    }
}
