package io.securecomm.internal.noise;

import com.sun.management.HotSpotDiagnosticMXBean;
import io.securecomm.noise.NoiseCipher;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * How one side chooses the cipher of the hop between a client and a relay ({@link NoiseConnection}), from the system
 * property {@value #PROPERTY}, read once per JVM:
 *
 * <ul>
 *   <li>{@code auto} (the default): negotiated. A client whose JVM uses the CPU's AES instructions offers
 *       {@code AESGCM} in handshake message 1 and keeps {@code ChaChaPoly}, wire protocol v1's suite, as the fallback
 *       any relay speaks; a relay whose JVM uses them accepts the offer. Otherwise both stay on {@code ChaChaPoly}
 *       (docs/NOISE.md, "The hop's cipher").</li>
 *   <li>{@code ChaChaPoly}: {@code Noise_XX_25519_ChaChaPoly_SHA256} only, exactly as wire protocol v1 before the
 *       offer: no offer sent, offers ignored.</li>
 *   <li>{@code AESGCM}: {@code Noise_XX_25519_AESGCM_SHA256} only, from message 1 on; a client also offers it, so
 *       that an {@code auto} relay with AES instructions agrees. A peer that does not run AES-GCM fails the
 *       handshake at message 2.</li>
 * </ul>
 *
 * <p>Any other value stops the relay's start and the chat client's connect rather than guess.
 */
public enum HopCipher {
    /** Negotiated: AES-GCM where both JVMs use AES instructions, else ChaChaPoly. */
    AUTO,
    /** ChaChaPoly only, as wire protocol v1 without an offer. */
    CHACHA_POLY,
    /** AES-GCM only. */
    AES_GCM;

    /** The system property that selects the mode: {@code auto} (the default), {@code ChaChaPoly} or {@code AESGCM}. */
    public static final String PROPERTY = "securecomm.noise.cipher";

    /**
     * Returns the mode {@value #PROPERTY} chose when this class was first used.
     *
     * @return the configured mode
     * @throws IllegalStateException if the property names no mode, so that no connection is made with a cipher
     *     nobody chose
     */
    public static HopCipher configured() {
        HopCipher configured = Selection.CONFIGURED;
        if (configured == null) {
            throw new IllegalStateException("system property " + PROPERTY + " is '" + Selection.VALUE
                    + "'; expected 'auto', 'ChaChaPoly' or 'AESGCM'");
        }
        return configured;
    }

    /**
     * Parses a mode as {@value #PROPERTY} and the load harness's {@code --noise-cipher} take it, ignoring case and
     * surrounding blanks: {@code auto}, or a cipher's Noise name ({@code ChaChaPoly}, {@code AESGCM}).
     *
     * @param value the name
     * @return the mode it names, or {@code null} if it names none
     */
    public static HopCipher parse(String value) {
        String name = value.trim();
        if (name.equalsIgnoreCase("auto")) {
            return AUTO;
        }
        NoiseCipher cipher = parseCipher(name);
        if (cipher == null) {
            return null;
        }
        return cipher == NoiseCipher.AES_GCM ? AES_GCM : CHACHA_POLY;
    }

    /**
     * Parses a cipher's Noise name ({@code ChaChaPoly}, {@code AESGCM}), ignoring case and surrounding blanks.
     *
     * @param value the name
     * @return the cipher it names, or {@code null} if it names neither
     */
    public static NoiseCipher parseCipher(String value) {
        String name = value.trim();
        for (NoiseCipher cipher : NoiseCipher.values()) {
            if (cipher.specName().equalsIgnoreCase(name)) {
                return cipher;
            }
        }
        return null;
    }

    /**
     * The cipher a handshake in this mode starts on: what message 1 is read and written under.
     *
     * @return {@link NoiseCipher#AES_GCM} in {@link #AES_GCM}, else {@link NoiseCipher#CHACHA_POLY}
     */
    public NoiseCipher first() {
        return this == AES_GCM ? NoiseCipher.AES_GCM : NoiseCipher.CHACHA_POLY;
    }

    /**
     * What a client in this mode offers in message 1, in its order of preference.
     *
     * @param aesInstructions whether this JVM uses the CPU's AES instructions ({@link #aesInstructions()})
     * @return the ciphers to offer; empty for none (an empty payload, as v1)
     */
    public List<NoiseCipher> offer(boolean aesInstructions) {
        return switch (this) {
            case AUTO -> aesInstructions ? List.of(NoiseCipher.AES_GCM) : List.of();
            case CHACHA_POLY -> List.of();
            case AES_GCM -> List.of(NoiseCipher.AES_GCM);
        };
    }

    /**
     * What a relay in this mode picks from a client's offer: the first offered cipher it accepts, else the cipher
     * it started on ({@link #first()}).
     *
     * @param offered the client's offer, in its order of preference
     * @param aesInstructions whether this JVM uses the CPU's AES instructions
     * @return the cipher of the rest of the handshake and of the session
     */
    public NoiseCipher pick(List<NoiseCipher> offered, boolean aesInstructions) {
        if (this == AUTO && aesInstructions && offered.contains(NoiseCipher.AES_GCM)) {
            return NoiseCipher.AES_GCM;
        }
        return first();
    }

    /**
     * The name {@value #PROPERTY} takes for this mode.
     *
     * @return {@code auto}, {@code ChaChaPoly} or {@code AESGCM}
     */
    public String propertyValue() {
        return this == AUTO ? "auto" : first().specName();
    }

    /**
     * Whether this JVM runs AES with the CPU's instructions: HotSpot's {@code UseAES} flag, which it sets when the CPU
     * has them and nobody switched it off. {@code false} where the flag cannot be read (another JVM, or a runtime
     * without the {@code jdk.management} module), so that such a JVM stays on ChaChaPoly, fast without hardware.
     *
     * @return whether AES-GCM is the cheaper cipher here
     */
    public static boolean aesInstructions() {
        return Selection.AES_INSTRUCTIONS;
    }

    /** Reads the property and the flag once, on first use. */
    private static final class Selection {
        static final String VALUE = System.getProperty(PROPERTY, "auto");
        static final HopCipher CONFIGURED = parse(VALUE);
        static final boolean AES_INSTRUCTIONS = readUseAes();

        private static boolean readUseAes() {
            try {
                HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
                return hotSpot != null
                        && "true".equals(hotSpot.getVMOption("UseAES").getValue().toLowerCase(Locale.ROOT));
            } catch (RuntimeException | LinkageError unavailable) {
                return false;
            }
        }
    }
}
