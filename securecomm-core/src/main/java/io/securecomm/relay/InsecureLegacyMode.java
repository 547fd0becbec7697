package io.securecomm.relay;

/**
 * Whether a relay also speaks the INSECURE legacy suite ({@code io.securecomm.crypto.insecure.LegacySuite}), the
 * original toy's protocol, for teaching: unauthenticated 32-bit Diffie-Hellman and repeating-key XOR with no
 * integrity check. Anyone on the network can read and rewrite a legacy connection. {@link #OFF} is the default
 * and the only mode for real use.
 */
public enum InsecureLegacyMode {
    /** Noise only (the default): a legacy hello is treated as a broken Noise message and the connection closed. */
    OFF,
    /**
     * Both suites: the relay tells them apart by the first frame, and announces the suite of every connection
     * (to the client in the legacy relay hello, to the operator through {@link RelayListener#onSuiteSelected}).
     */
    ALSO,
    /**
     * The legacy suite only, as the original toy: a Noise client gets a legacy-only offer frame and is
     * disconnected, which a default client reports as a refused insecure suite.
     */
    ONLY
}
