package io.securecomm.noise;

/**
 * The hash functions of Noise revision 34 (section 12.5 and 12.6) that the JDK provides. BLAKE2s and
 * BLAKE2b are not supported: the JDK has no BLAKE2.
 */
public enum NoiseHash {
    /** {@code SHA256}: SHA-256, {@code HASHLEN} 32. */
    SHA256("SHA256", "SHA-256", "HmacSHA256", 32),
    /** {@code SHA512}: SHA-512, {@code HASHLEN} 64. */
    SHA512("SHA512", "SHA-512", "HmacSHA512", 64);

    private final String specName;
    private final String jcaDigest;
    private final String jcaMac;
    private final int hashLengthBytes;

    NoiseHash(String specName, String jcaDigest, String jcaMac, int hashLengthBytes) {
        this.specName = specName;
        this.jcaDigest = jcaDigest;
        this.jcaMac = jcaMac;
        this.hashLengthBytes = hashLengthBytes;
    }

    /**
     * Returns the name used in Noise protocol names, such as {@code "SHA256"}.
     *
     * @return the spec name
     */
    public String specName() {
        return specName;
    }

    /**
     * Returns the JCA {@code MessageDigest} algorithm name, such as {@code "SHA-256"}.
     *
     * @return the JCA digest name
     */
    public String jcaDigestName() {
        return jcaDigest;
    }

    /**
     * Returns the JCA {@code Mac} algorithm name of HMAC-HASH, such as {@code "HmacSHA256"}.
     *
     * @return the JCA MAC name
     */
    public String jcaMacName() {
        return jcaMac;
    }

    /**
     * Returns {@code HASHLEN}, the digest size.
     *
     * @return the length in bytes
     */
    public int hashLengthBytes() {
        return hashLengthBytes;
    }
}
