package io.securecomm.noise.internal;

import io.securecomm.crypto.AeadAlgorithm;
import java.util.Locale;

/**
 * Who computes ChaCha20-Poly1305 for the Noise transport (every {@code CipherState} of a {@code ChaChaPoly}
 * protocol): the JDK's provider ({@link #JCA}) or Bouncy Castle's lightweight {@code ChaCha20Poly1305}
 * ({@link #BOUNCY_CASTLE}). Both compute RFC 8439 with the same contract ({@link RecordAead}), which the tests check
 * against the RFC, Wycheproof and Noise vectors for each. The end-to-end layer's AEAD is not affected.
 *
 * <p>{@link #selected()} is the one the library uses: {@link #JCA} unless the system property {@value #PROPERTY} is
 * {@code bouncycastle} when the class is first used.
 */
public enum ChaChaPolyProvider {
    /** The JDK's {@code ChaCha20-Poly1305} cipher, through {@link io.securecomm.crypto.ExplicitNonceAead}. */
    JCA {
        @Override
        public RecordAead create(byte[] key) {
            return new JcaRecordAead(AeadAlgorithm.CHACHA20_POLY1305, key);
        }
    },
    /** Bouncy Castle's lightweight {@code org.bouncycastle.crypto.modes.ChaCha20Poly1305}. */
    BOUNCY_CASTLE {
        @Override
        public RecordAead create(byte[] key) {
            return new BcChaCha20Poly1305(key);
        }
    };

    /** The system property that selects the implementation: {@code jca} (the default) or {@code bouncycastle}. */
    public static final String PROPERTY = "securecomm.chachapoly";
    /** The property's value when it is not set. */
    public static final String DEFAULT = "jca";

    /**
     * Creates an AEAD with this implementation; the key array is copied.
     *
     * @param key the 32-byte key
     * @return a new instance, which the caller must close
     * @throws IllegalArgumentException if the key is not 32 bytes
     */
    public abstract RecordAead create(byte[] key);

    /**
     * Returns the implementation the library uses, chosen by {@value #PROPERTY} when this class is first used.
     *
     * @return the selected implementation
     * @throws IllegalStateException if the property names neither implementation
     */
    public static ChaChaPolyProvider selected() {
        ChaChaPolyProvider selected = Selection.SELECTED;
        if (selected == null) {
            throw new IllegalStateException("system property " + PROPERTY + " is '" + Selection.VALUE
                    + "'; expected 'jca' or 'bouncycastle'");
        }
        return selected;
    }

    /** Reads the property once, on first use, so that a benchmark can set it before anything is computed. */
    private static final class Selection {
        static final String VALUE = System.getProperty(PROPERTY, DEFAULT);
        static final ChaChaPolyProvider SELECTED = switch (VALUE.toLowerCase(Locale.ROOT)) {
            case "bouncycastle", "bc" -> BOUNCY_CASTLE;
            case "jca", "jdk" -> JCA;
            default -> null;
        };
    }
}
