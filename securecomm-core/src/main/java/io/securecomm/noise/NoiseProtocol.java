package io.securecomm.noise;

import io.securecomm.noise.internal.HandshakePattern;
import io.securecomm.noise.internal.HandshakePatterns;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A parsed Noise protocol name (revision 34, section 8), such as {@code Noise_XX_25519_ChaChaPoly_SHA256}:
 * a handshake pattern with its modifiers, a DH function, a cipher function and a hash function.
 *
 * <p>Supported: the one-way patterns N, K, X; the fundamental patterns NN, NK, NX, XN, XK, XX, KN, KK, KX,
 * IN, IK, IX; the deferred patterns of section 7.5 (such as NK1 or X1X1); the modifiers {@code psk0} to
 * {@code pskN}, alone or joined with {@code +}; DH {@code 25519} and {@code 448}; ciphers
 * {@code ChaChaPoly} and {@code AESGCM}; hashes {@code SHA256} and {@code SHA512}. Anything else is
 * rejected by {@link #parse(String)} with an {@link IllegalArgumentException} that names the part.
 *
 * <p>Immutable and thread-safe. Two protocols are equal when their names are.
 */
public final class NoiseProtocol {
    private final String name;
    private final HandshakePattern pattern;
    private final NoiseDh dh;
    private final NoiseCipher cipher;
    private final NoiseHash hash;

    private NoiseProtocol(String name, HandshakePattern pattern, NoiseDh dh, NoiseCipher cipher, NoiseHash hash) {
        this.name = name;
        this.pattern = pattern;
        this.dh = dh;
        this.cipher = cipher;
        this.hash = hash;
    }

    /**
     * Parses a full protocol name.
     *
     * @param protocolName such as {@code "Noise_XXpsk3_25519_AESGCM_SHA512"}
     * @return the protocol
     * @throws IllegalArgumentException if the name is malformed or any part is unsupported; the message
     *     names the part
     */
    public static NoiseProtocol parse(String protocolName) {
        Objects.requireNonNull(protocolName, "protocolName");
        String[] parts = protocolName.split("_", -1);
        if (parts.length != 5 || !parts[0].equals("Noise")) {
            throw new IllegalArgumentException("malformed Noise protocol name '" + protocolName
                    + "': expected Noise_<pattern>_<dh>_<cipher>_<hash>");
        }
        HandshakePattern pattern = HandshakePatterns.lookup(parts[1]);
        NoiseDh dh = null;
        for (NoiseDh d : NoiseDh.values()) {
            if (d.specName().equals(parts[2])) {
                dh = d;
            }
        }
        if (dh == null) {
            throw new IllegalArgumentException("unsupported Noise DH function '" + parts[2]
                    + "' in '" + protocolName + "' (supported: 25519, 448)");
        }
        NoiseCipher cipher = null;
        for (NoiseCipher c : NoiseCipher.values()) {
            if (c.specName().equals(parts[3])) {
                cipher = c;
            }
        }
        if (cipher == null) {
            throw new IllegalArgumentException("unsupported Noise cipher function '" + parts[3]
                    + "' in '" + protocolName + "' (supported: ChaChaPoly, AESGCM)");
        }
        NoiseHash hash = null;
        for (NoiseHash h : NoiseHash.values()) {
            if (h.specName().equals(parts[4])) {
                hash = h;
            }
        }
        if (hash == null) {
            throw new IllegalArgumentException("unsupported Noise hash function '" + parts[4]
                    + "' in '" + protocolName + "' (supported: SHA256, SHA512)");
        }
        return new NoiseProtocol(protocolName, pattern, dh, cipher, hash);
    }

    /**
     * Returns the full protocol name, exactly as parsed; its bytes initialize the handshake hash.
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the pattern part of the name with its modifiers, such as {@code "XXpsk3"}.
     *
     * @return the pattern name
     */
    public String patternName() {
        return pattern.name();
    }

    /**
     * Returns whether the pattern is one-way (N, K, X and their psk variants): only the initiator sends,
     * in the handshake and in the transport phase.
     *
     * @return true for a one-way pattern
     */
    public boolean isOneWay() {
        return pattern.oneWay();
    }

    /**
     * Returns how many pre-shared keys each side must supply: the number of {@code psk} tokens.
     *
     * @return the count, 0 without psk modifiers
     */
    public int pskCount() {
        return pattern.pskCount();
    }

    /**
     * Returns the number of handshake messages.
     *
     * @return the count
     */
    public int handshakeMessageCount() {
        return pattern.messages().size();
    }

    /**
     * Returns the DH function.
     *
     * @return the DH function
     */
    public NoiseDh dh() {
        return dh;
    }

    /**
     * Returns the cipher function.
     *
     * @return the cipher function
     */
    public NoiseCipher cipher() {
        return cipher;
    }

    /**
     * Returns the hash function.
     *
     * @return the hash function
     */
    public NoiseHash hash() {
        return hash;
    }

    HandshakePattern pattern() {
        return pattern;
    }

    byte[] nameBytes() {
        return name.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Compares protocol names.
     *
     * @param o another object
     * @return true if {@code o} is a protocol with the same name
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof NoiseProtocol other && other.name.equals(name);
    }

    /**
     * Hashes the protocol name.
     *
     * @return a hash code
     */
    @Override
    public int hashCode() {
        return name.hashCode();
    }

    /**
     * Returns the protocol name.
     *
     * @return the name
     */
    @Override
    public String toString() {
        return name;
    }
}
