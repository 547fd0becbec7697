package io.securecomm.relay;

import io.securecomm.crypto.insecure.LegacySuite;
import io.securecomm.noise.SecurecommNoise;

/**
 * The cipher suite a connection speaks, as {@link RelayListener#onSuiteSelected} reports it.
 */
public enum CipherSuite {
    /** Noise {@code XX} with X25519, ChaCha20-Poly1305 and SHA-256: the default, and the only suite for real use. */
    NOISE(SecurecommNoise.DEFAULT_PROTOCOL_NAME, false),
    /**
     * INSECURE, for teaching: the original toy's suite ({@link LegacySuite}), which anyone on the network can read
     * and rewrite. Only a relay configured with {@link RelayOptions#insecureLegacyCrypto()} speaks it.
     */
    INSECURE_LEGACY(LegacySuite.NAME, true);

    private final String suiteName;
    private final boolean insecure;

    CipherSuite(String suiteName, boolean insecure) {
        this.suiteName = suiteName;
        this.insecure = insecure;
    }

    /**
     * The suite's full name, as the relay announces it.
     *
     * @return for example {@code Noise_XX_25519_ChaChaPoly_SHA256}
     */
    public String suiteName() {
        return suiteName;
    }

    /**
     * Whether the suite is the INSECURE teaching suite.
     *
     * @return {@code true} for {@link #INSECURE_LEGACY}
     */
    public boolean isInsecure() {
        return insecure;
    }
}
