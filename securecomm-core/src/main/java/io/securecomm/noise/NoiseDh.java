package io.securecomm.noise;

/**
 * The DH functions of Noise revision 34 (section 12.1 and 12.2) that securecomm supports, with raw RFC 7748 key
 * encodings: X25519 computed by Bouncy Castle's lightweight {@code rfc7748} code (or the JDK's XDH provider, see
 * {@link io.securecomm.crypto.KeyExchange#x25519()}), X448 by the JDK's XDH provider.
 */
public enum NoiseDh {
    /** {@code 25519}: X25519, 32-byte keys. */
    X25519("25519", 32),
    /** {@code 448}: X448, 56-byte keys. */
    X448("448", 56);

    private final String specName;
    private final int dhLengthBytes;

    NoiseDh(String specName, int dhLengthBytes) {
        this.specName = specName;
        this.dhLengthBytes = dhLengthBytes;
    }

    /**
     * Returns the name used in Noise protocol names, such as {@code "25519"}.
     *
     * @return the spec name
     */
    public String specName() {
        return specName;
    }

    /**
     * Returns {@code DHLEN}: the size of public keys and DH outputs.
     *
     * @return the length in bytes
     */
    public int dhLengthBytes() {
        return dhLengthBytes;
    }
}
