package io.securecomm.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * Splits a byte stream into frames, incrementally: feed it bytes in any chunking, down to one byte at a
 * time, and it returns each frame's payload once the frame is complete.
 *
 * <pre>
 * +--------+--------+---------------------------+
 * | length (u16 BE) |  payload: length bytes    |   1 &lt;= length &lt;= maxFrameLengthBytes
 * +--------+--------+---------------------------+
 * </pre>
 *
 * <p>The length is checked as soon as its two bytes have arrived, before anything is allocated for the
 * frame: above {@link #maxFrameLengthBytes()} is a {@link FrameTooLargeException}, zero an
 * {@link EmptyFrameException}. {@link #decode(ByteBuffer)} consumes input only up to the end of the current
 * frame, so the decoder never holds more than one frame of at most {@code maxFrameLengthBytes} bytes; the
 * caller keeps what follows (a Netty {@code ByteToMessageDecoder} keeps it in its cumulation buffer, and
 * advances its reader index by what the {@link ByteBuffer} view consumed). Within a frame the buffer grows with
 * the bytes actually received (to at most twice them, or 1 KiB), so a declared length alone reserves little.
 *
 * <p>Typical use, from a read loop or a Netty decoder:
 * <pre>{@code
 * byte[] payload;
 * while ((payload = decoder.decode(buffer)) != null) {
 *     handle(payload);
 * }
 * }</pre>
 *
 * <p>After a {@link FrameException} the decoder is permanently failed: further calls throw
 * {@link IllegalStateException}, and the connection should be closed. Not thread-safe; confine each
 * instance to one connection and one thread (or event loop).
 */
public final class FrameDecoder {
    /** Default maximum payload length: 65535 bytes, Noise's message limit and the most 2 bytes can express. */
    public static final int DEFAULT_MAX_FRAME_LENGTH_BYTES = FrameEncoder.MAX_PAYLOAD_BYTES;

    /**
     * First allocation for a frame's payload. The buffer then doubles as bytes arrive, so a peer that declares
     * 65535 bytes and sends two costs a few kilobytes, not 64 KiB, per connection.
     */
    private static final int INITIAL_BUFFER_BYTES = 1024;

    private final int maxFrameLengthBytes;
    private final byte[] lengthField = new byte[FrameEncoder.LENGTH_FIELD_BYTES];
    private int lengthFieldFilled;
    private byte[] payload;
    private int payloadLength;
    private int payloadFilled;
    private long frameStreamOffset;
    private long streamOffset;
    private FrameException failure;

    /** Creates a decoder with the default maximum of {@value #DEFAULT_MAX_FRAME_LENGTH_BYTES} bytes. */
    public FrameDecoder() {
        this(DEFAULT_MAX_FRAME_LENGTH_BYTES);
    }

    /**
     * Creates a decoder with a maximum payload length.
     *
     * @param maxFrameLengthBytes the longest payload accepted, 1 to {@value #DEFAULT_MAX_FRAME_LENGTH_BYTES}
     * @throws IllegalArgumentException if {@code maxFrameLengthBytes} is out of range
     */
    public FrameDecoder(int maxFrameLengthBytes) {
        if (maxFrameLengthBytes < 1 || maxFrameLengthBytes > DEFAULT_MAX_FRAME_LENGTH_BYTES) {
            throw new IllegalArgumentException("maxFrameLengthBytes must be 1.."
                    + DEFAULT_MAX_FRAME_LENGTH_BYTES + ", got " + maxFrameLengthBytes);
        }
        this.maxFrameLengthBytes = maxFrameLengthBytes;
    }

    /**
     * Returns the longest payload this decoder accepts.
     *
     * @return the maximum, in bytes
     */
    public int maxFrameLengthBytes() {
        return maxFrameLengthBytes;
    }

    /**
     * Consumes bytes from {@code in} until one frame is complete, and returns its payload.
     *
     * <p>Reads nothing beyond the end of that frame: the bytes of later frames stay in {@code in} for the
     * next call. When {@code in} runs out first, keeps the partial frame and returns {@code null}.
     *
     * @param in the received bytes; its position advances past what was consumed
     * @return the payload of the completed frame (a fresh array the caller owns), or {@code null} if more
     *     bytes are needed
     * @throws FrameTooLargeException if the frame's length prefix is above {@link #maxFrameLengthBytes()}
     * @throws EmptyFrameException if the frame's length prefix is 0
     * @throws IllegalStateException if an earlier call failed
     */
    public byte[] decode(ByteBuffer in) throws FrameException {
        Objects.requireNonNull(in, "in");
        checkNotFailed();
        if (payload == null) {
            while (lengthFieldFilled < lengthField.length && in.hasRemaining()) {
                lengthField[lengthFieldFilled++] = in.get();
                streamOffset++;
            }
            if (lengthFieldFilled < lengthField.length) {
                return null;
            }
            int length = ((lengthField[0] & 0xFF) << 8) | (lengthField[1] & 0xFF);
            if (length > maxFrameLengthBytes) {
                throw fail(new FrameTooLargeException(length, maxFrameLengthBytes, frameStreamOffset));
            }
            if (length == 0) {
                throw fail(new EmptyFrameException(frameStreamOffset));
            }
            if (in.remaining() >= length) {
                // The whole payload is here: copied out at once, never held in this decoder, which lives as long
                // as its connection (a store into it is one that G1 pays for: issue 18).
                byte[] frame = new byte[length];
                in.get(frame);
                streamOffset += length;
                lengthFieldFilled = 0;
                frameStreamOffset = streamOffset;
                return frame;
            }
            payloadLength = length;
            payload = new byte[Math.min(length, INITIAL_BUFFER_BYTES)];
            payloadFilled = 0;
        }
        int n = Math.min(in.remaining(), payloadLength - payloadFilled);
        if (payloadFilled + n > payload.length) {
            int grown = Math.min(payloadLength, Math.max(payload.length * 2, payloadFilled + n));
            payload = Arrays.copyOf(payload, grown);
        }
        in.get(payload, payloadFilled, n);
        payloadFilled += n;
        streamOffset += n;
        if (payloadFilled < payloadLength) {
            return null;
        }
        byte[] frame = payload;
        payload = null;
        payloadFilled = 0;
        lengthFieldFilled = 0;
        frameStreamOffset = streamOffset;
        return frame;
    }

    /**
     * Tells whether part of a frame has arrived and waits for the rest.
     *
     * @return {@code true} between the first byte of a frame and its last
     */
    public boolean hasPartialFrame() {
        return lengthFieldFilled > 0;
    }

    /**
     * Declares the end of the stream (the peer closed the connection) and checks that it fell between
     * frames.
     *
     * @throws TruncatedFrameException if the stream ended inside a frame
     * @throws IllegalStateException if an earlier call failed
     */
    public void finish() throws FrameException {
        checkNotFailed();
        if (hasPartialFrame()) {
            int received = lengthFieldFilled + payloadFilled;
            int expected = payload == null ? -1 : lengthField.length + payloadLength;
            throw fail(new TruncatedFrameException(frameStreamOffset, received, expected));
        }
    }

    /** Bytes currently reserved for the partial frame's payload; for tests of the memory bound. */
    int bufferCapacityBytes() {
        return payload == null ? 0 : payload.length;
    }

    private FrameException fail(FrameException e) {
        failure = e;
        payload = null;
        return e;
    }

    private void checkNotFailed() {
        if (failure != null) {
            throw new IllegalStateException("frame decoder failed earlier: " + failure.getMessage());
        }
    }
}
