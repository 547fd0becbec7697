package io.securecomm.crypto.insecure;

import io.securecomm.noise.SecurecommNoise;
import java.nio.charset.StandardCharsets;

/**
 * Constants and frame recognition of the INSECURE legacy suite, the original toy's protocol kept for teaching:
 * unauthenticated Diffie-Hellman over a 32-bit prime ({@link SmallPrimeDiffieHellman}), a 16-byte key derived
 * from the shared secret ({@link SmallPrimeDiffieHellman#deriveXorKey(long, int)}), and repeating-key XOR
 * ({@link RepeatingKeyXorCipher}) of every message with NO integrity check.
 *
 * <p>It is never selected by default: a relay and a client speak it only when configured with an option named
 * {@code insecureLegacyCrypto}. Its frames travel in the ordinary 2-byte length framing; every handshake frame
 * starts with the 8 ASCII bytes {@code SCLEGACY}. A legacy client hello is 13 bytes, a Noise message 1 exactly
 * 32 bytes of X25519 key, so a relay tells the two apart by the first frame.
 *
 * <pre>
 * client hello (13 bytes)          relay hello (14 + n bytes)                 legacy-only offer (10 + n bytes)
 * +----------+----+---------+      +----------+----+---------+----+------+    +----------+----+----+------+
 * | SCLEGACY | 01 | A (u32) |      | SCLEGACY | 02 | B (u32) | n  | name |    | SCLEGACY | 03 | n  | name |
 * +----------+----+---------+      +----------+----+---------+----+------+    +----------+----+----+------+
 * </pre>
 *
 * The layout is specified in docs/PROTOCOL.md, section "Legacy (insecure) suite". Not instantiable.
 */
public final class LegacySuite {
    /** The suite name the relay announces in its hello: everything it is, and is not, in one string. */
    public static final String NAME = "INSECURE_LEGACY_DH32_SHA256_XOR128_NOMAC";
    /** The name of the default suite, for announcements side by side with {@link #NAME}: securecomm's Noise. */
    public static final String DEFAULT_SUITE_NAME = SecurecommNoise.DEFAULT_PROTOCOL_NAME;
    /** The length of the repeating XOR key, in bytes. */
    public static final int KEY_LENGTH_BYTES = 16;
    /** The length of the magic that starts every legacy handshake frame, in bytes. */
    public static final int MAGIC_LENGTH_BYTES = 8;

    private static final byte[] MAGIC = "SCLEGACY".getBytes(StandardCharsets.US_ASCII);

    private LegacySuite() {}

    /**
     * Returns the magic.
     *
     * @return a copy of the 8 ASCII bytes {@code SCLEGACY}
     */
    public static byte[] magic() {
        return MAGIC.clone();
    }

    /**
     * Tells whether a frame payload is a legacy handshake frame (starts with the magic). Used by a relay that
     * accepts the legacy suite to tell a legacy client from a Noise one by its first frame, and by a client to
     * recognise a relay that offers only the legacy suite.
     *
     * @param framePayload a frame payload; not modified
     * @return {@code true} if it starts with {@code SCLEGACY}
     */
    public static boolean isLegacyFrame(byte[] framePayload) {
        if (framePayload.length < MAGIC.length) {
            return false;
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (framePayload[i] != MAGIC[i]) {
                return false;
            }
        }
        return true;
    }
}
