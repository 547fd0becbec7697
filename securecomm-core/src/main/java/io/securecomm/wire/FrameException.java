package io.securecomm.wire;

import io.securecomm.SecureCommException;

/**
 * The peer sent bytes that are not a valid frame or message of wire protocol v1.
 *
 * <p>Specific subclasses say what was wrong and where: {@link FrameTooLargeException},
 * {@link EmptyFrameException}, {@link TruncatedFrameException} for the length-prefixed frame layer, and
 * {@link MalformedMessageException} (with a {@link MalformedMessageException.Reason} and a byte offset) for
 * the message layer. Whatever bytes arrive, the decoders of this package fail only with these exceptions:
 * never with an {@link IndexOutOfBoundsException}, a {@link NullPointerException} or an
 * {@link OutOfMemoryError}. A connection that produced one should be closed.
 */
public class FrameException extends SecureCommException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what was wrong and where; never plaintext bytes
     */
    public FrameException(String message) {
        super(message);
    }
}
