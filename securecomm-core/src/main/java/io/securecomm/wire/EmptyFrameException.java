package io.securecomm.wire;

/**
 * A frame's length prefix declares 0 bytes. No Noise handshake or transport message is empty, so v1 never
 * sends an empty frame; accepting them would let a peer keep a connection busy with no content.
 */
public final class EmptyFrameException extends FrameException {
    private static final long serialVersionUID = 1L;

    /** Offset of the frame's length prefix in the byte stream. */
    private final long streamOffset;

    /**
     * Creates the exception.
     *
     * @param streamOffset offset of the length prefix in the byte stream, counted from 0
     */
    public EmptyFrameException(long streamOffset) {
        super("frame at stream offset " + streamOffset + " declares 0 bytes; empty frames are not allowed");
        this.streamOffset = streamOffset;
    }

    /**
     * Returns where the frame started.
     *
     * @return offset of the length prefix in the byte stream, counted from 0
     */
    public long streamOffset() {
        return streamOffset;
    }
}
