package io.securecomm.client;

/**
 * The Noise handshake with the relay failed or was refused (wrong protocol, a tampered or truncated handshake message,
 * or a handshake timeout); no session exists.
 */
public final class HandshakeFailedException extends ChatClientException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, for people
     */
    public HandshakeFailedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, for people
     * @param cause the underlying failure, or {@code null}
     */
    public HandshakeFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
