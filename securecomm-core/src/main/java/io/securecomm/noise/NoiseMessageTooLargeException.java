package io.securecomm.noise;

/**
 * Thrown when the caller asks for a Noise message longer than {@value #MAX_MESSAGE_SIZE_BYTES} bytes, the
 * limit of Noise revision 34, section 3: a payload or plaintext that is too large is a caller mistake.
 * A peer's oversized message is reported with the checked {@link HandshakeException} or
 * {@link SecureChannelException} instead.
 */
public final class NoiseMessageTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The largest Noise message, handshake or transport, in bytes. */
    public static final int MAX_MESSAGE_SIZE_BYTES = 65535;

    /**
     * Creates the exception.
     *
     * @param message what happened, naming the sizes
     */
    public NoiseMessageTooLargeException(String message) {
        super(message);
    }
}
