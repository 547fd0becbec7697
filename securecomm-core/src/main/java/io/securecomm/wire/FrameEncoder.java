package io.securecomm.wire;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Writes frames: a 2-byte big-endian length prefix, then the payload (one Noise handshake or transport
 * message).
 *
 * <pre>
 * +--------+--------+---------------------------+
 * | length (u16 BE) |  payload: length bytes    |   1 &lt;= length &lt;= 65535
 * +--------+--------+---------------------------+
 * </pre>
 *
 * Stateless and thread-safe.
 */
public final class FrameEncoder {
    /** Size of the length prefix. */
    public static final int LENGTH_FIELD_BYTES = 2;

    /** Largest payload a frame can carry: the most a 2-byte prefix can express, and Noise's message limit. */
    public static final int MAX_PAYLOAD_BYTES = 65535;

    private FrameEncoder() {}

    /**
     * Frames a payload.
     *
     * @param payload the payload, 1 to {@value #MAX_PAYLOAD_BYTES} bytes; not modified or retained
     * @return a fresh array: the length prefix followed by a copy of the payload
     * @throws IllegalArgumentException if the payload is empty or longer than {@value #MAX_PAYLOAD_BYTES}
     */
    public static byte[] encode(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        checkLength(payload.length);
        byte[] out = new byte[LENGTH_FIELD_BYTES + payload.length];
        out[0] = (byte) (payload.length >>> 8);
        out[1] = (byte) payload.length;
        System.arraycopy(payload, 0, out, LENGTH_FIELD_BYTES, payload.length);
        return out;
    }

    /**
     * Writes one frame into a buffer, advancing its position.
     *
     * @param payload the array holding the payload; not modified or retained
     * @param offset where the payload starts in {@code payload}
     * @param length the payload's length, 1 to {@value #MAX_PAYLOAD_BYTES}
     * @param out the buffer to write into; needs {@code length + 2} bytes remaining
     * @throws IllegalArgumentException if {@code length} is out of range
     * @throws IndexOutOfBoundsException if {@code offset} and {@code length} do not fit {@code payload}
     * @throws java.nio.BufferOverflowException if {@code out} has too little room; nothing is written then
     */
    public static void encode(byte[] payload, int offset, int length, ByteBuffer out) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(out, "out");
        checkLength(length);
        Objects.checkFromIndexSize(offset, length, payload.length);
        if (out.remaining() < LENGTH_FIELD_BYTES + length) {
            throw new BufferOverflowException();
        }
        out.putShort((short) length);
        out.put(payload, offset, length);
    }

    /**
     * Returns the size of a frame carrying a payload of the given length.
     *
     * @param payloadLength the payload's length, 1 to {@value #MAX_PAYLOAD_BYTES}
     * @return {@code payloadLength + 2}
     * @throws IllegalArgumentException if {@code payloadLength} is out of range
     */
    public static int frameLength(int payloadLength) {
        checkLength(payloadLength);
        return LENGTH_FIELD_BYTES + payloadLength;
    }

    private static void checkLength(int length) {
        if (length < 1 || length > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException(
                    "frame payload must be 1.." + MAX_PAYLOAD_BYTES + " bytes, got " + length);
        }
    }
}
