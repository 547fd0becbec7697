package io.securecomm.wire;

/**
 * The byte stream ended in the middle of a frame (see {@link FrameDecoder#finish()}).
 */
public final class TruncatedFrameException extends FrameException {
    private static final long serialVersionUID = 1L;

    /** Offset of the frame's length prefix in the byte stream. */
    private final long streamOffset;
    /** Bytes of the frame received, length prefix included. */
    private final int receivedBytes;

    /**
     * Creates the exception.
     *
     * @param streamOffset offset of the unfinished frame's length prefix in the byte stream, counted from 0
     * @param receivedBytes how many bytes of that frame (length prefix included) had arrived
     * @param expectedBytes how many bytes the frame needed (length prefix included), or -1 if the length
     *     prefix itself was incomplete
     */
    public TruncatedFrameException(long streamOffset, int receivedBytes, int expectedBytes) {
        super("stream ended inside the frame at stream offset " + streamOffset + " after " + receivedBytes
                + " of " + (expectedBytes < 0 ? "at least 2" : String.valueOf(expectedBytes)) + " bytes");
        this.streamOffset = streamOffset;
        this.receivedBytes = receivedBytes;
    }

    /**
     * Returns where the unfinished frame started.
     *
     * @return offset of its length prefix in the byte stream, counted from 0
     */
    public long streamOffset() {
        return streamOffset;
    }

    /**
     * Returns how much of the frame had arrived.
     *
     * @return bytes received, length prefix included
     */
    public int receivedBytes() {
        return receivedBytes;
    }
}
