package io.securecomm.client;

/**
 * The session with the relay ended: the relay said goodbye (for example because it is shutting
 * down), or the connection was lost mid-session. Operations in flight at that moment fail with it.
 */
public final class RelayClosedException extends ChatClientException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened, for people
     */
    public RelayClosedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what happened, for people
     * @param cause the underlying failure, or {@code null}
     */
    public RelayClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
