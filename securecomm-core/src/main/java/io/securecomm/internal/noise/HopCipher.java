package io.securecomm.internal.noise;

import io.securecomm.noise.NoiseCipher;

/**
 * The cipher of the hop between a client and a relay ({@link NoiseConnection}): {@code ChaChaPoly}, wire protocol v1's
 * suite {@code Noise_XX_25519_ChaChaPoly_SHA256}, unless the system property {@value #PROPERTY} is {@code AESGCM} when
 * this class is first used. There is no negotiation: the property must name the same cipher in the client's JVM and
 * the relay's, or every handshake fails at message 2 (the client cannot decrypt it). A value that names neither cipher
 * stops the relay's start and the chat client's connect. It exists to measure the hop's cipher in the relay, and for
 * deployments that run both ends (docs/NOISE.md says why the default stays ChaChaPoly).
 */
public final class HopCipher {
    /** The system property that selects the hop's cipher: {@code ChaChaPoly} (the default) or {@code AESGCM}. */
    public static final String PROPERTY = "securecomm.noise.cipher";

    private HopCipher() {}

    /**
     * Returns the hop's cipher, chosen by {@value #PROPERTY} when this class was first used.
     *
     * @return the selected cipher
     * @throws IllegalStateException if the property names neither cipher, so that no connection is made with a
     *     cipher nobody chose
     */
    public static NoiseCipher selected() {
        NoiseCipher selected = Selection.SELECTED;
        if (selected == null) {
            throw new IllegalStateException("system property " + PROPERTY + " is '" + Selection.VALUE
                    + "'; expected 'ChaChaPoly' or 'AESGCM'");
        }
        return selected;
    }

    /**
     * Parses a cipher's Noise name ({@code ChaChaPoly}, {@code AESGCM}) as {@value #PROPERTY} and the load harness's
     * {@code --noise-cipher} take it: ignoring case and surrounding blanks.
     *
     * @param value the name
     * @return the cipher it names, or {@code null} if it names neither
     */
    public static NoiseCipher parse(String value) {
        String name = value.trim();
        for (NoiseCipher cipher : NoiseCipher.values()) {
            if (cipher.specName().equalsIgnoreCase(name)) {
                return cipher;
            }
        }
        return null;
    }

    /** Reads the property once, on first use. */
    private static final class Selection {
        static final String VALUE = System.getProperty(PROPERTY, NoiseCipher.CHACHA_POLY.specName());
        static final NoiseCipher SELECTED = parse(VALUE);
    }
}
