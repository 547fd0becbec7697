package io.securecomm.wire;

/**
 * A frame's length prefix declares more bytes than the decoder's maximum. It is thrown as soon as the
 * two length bytes have arrived, before anything is allocated for the frame.
 */
public final class FrameTooLargeException extends FrameException {
    private static final long serialVersionUID = 1L;

    /** The length the prefix declared. */
    private final int declaredLengthBytes;
    /** The decoder's maximum. */
    private final int maxFrameLengthBytes;
    /** Offset of the frame's length prefix in the byte stream. */
    private final long streamOffset;

    /**
     * Creates the exception.
     *
     * @param declaredLengthBytes the length the prefix declared
     * @param maxFrameLengthBytes the decoder's maximum
     * @param streamOffset offset of the length prefix in the byte stream, counted from 0
     */
    public FrameTooLargeException(int declaredLengthBytes, int maxFrameLengthBytes, long streamOffset) {
        super("frame at stream offset " + streamOffset + " declares " + declaredLengthBytes
                + " bytes, above the maximum of " + maxFrameLengthBytes);
        this.declaredLengthBytes = declaredLengthBytes;
        this.maxFrameLengthBytes = maxFrameLengthBytes;
        this.streamOffset = streamOffset;
    }

    /**
     * Returns the length the prefix declared.
     *
     * @return the declared length, in bytes
     */
    public int declaredLengthBytes() {
        return declaredLengthBytes;
    }

    /**
     * Returns the decoder's maximum.
     *
     * @return the maximum frame length, in bytes
     */
    public int maxFrameLengthBytes() {
        return maxFrameLengthBytes;
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
