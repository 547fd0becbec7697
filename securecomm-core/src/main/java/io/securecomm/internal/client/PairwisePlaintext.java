package io.securecomm.internal.client;

import io.securecomm.wire.Limits;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The plaintext inside a pairwise {@code SessionCipher} message, and the text inside a room message:
 *
 * <pre>
 * +------+---------------------------+
 * | kind |  body                     |   kind 0x01: chat text, UTF-8 (1 to 4096 bytes)
 * +------+---------------------------+   kind 0x02: a room sender-key distribution (docs/E2E.md)
 * </pre>
 *
 * <p>Stateless.
 */
public final class PairwisePlaintext {
    /** Content kind: chat text. */
    public static final int KIND_TEXT = 0x01;
    /** Content kind: a sender-key distribution for the room. */
    public static final int KIND_SENDER_KEY = 0x02;

    private PairwisePlaintext() {}

    /**
     * Prefixes a body with its kind.
     *
     * @param kind {@link #KIND_TEXT} or {@link #KIND_SENDER_KEY}
     * @param body the body
     * @return a new array: the kind's byte, then the body
     */
    static byte[] of(int kind, byte[] body) {
        byte[] out = new byte[1 + body.length];
        out[0] = (byte) kind;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    /**
     * Chat text as plaintext.
     *
     * @param text the text, checked against the wire's limits by the caller
     * @return the kind {@link #KIND_TEXT}, then the text in UTF-8
     */
    static byte[] text(String text) {
        return of(KIND_TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The text of a plaintext of kind {@link #KIND_TEXT} (the kind is not checked here).
     *
     * @param plaintext the plaintext
     * @return the text, or empty if the body is not 1 to {@link Limits#TEXT_MAX_BYTES} bytes of well-formed UTF-8
     */
    static Optional<String> text(byte[] plaintext) {
        int n = plaintext.length - 1;
        if (n < Limits.TEXT_MIN_BYTES || n > Limits.TEXT_MAX_BYTES) {
            return Optional.empty();
        }
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(plaintext, 1, n)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }
}
