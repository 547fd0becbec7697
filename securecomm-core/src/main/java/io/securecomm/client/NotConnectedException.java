package io.securecomm.client;

/**
 * The client is not connected: {@link ChatClient#connect()} has not completed yet, or the client was closed.
 */
public final class NotConnectedException extends ChatClientException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, for people
     */
    public NotConnectedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, for people
     * @param cause the underlying failure, or {@code null}
     */
    public NotConnectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
