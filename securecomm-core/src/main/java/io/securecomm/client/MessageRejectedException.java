package io.securecomm.client;

/**
 * The relay refused a message (for example because it was empty or longer than the protocol allows).
 */
public final class MessageRejectedException extends ChatClientException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, for people
     */
    public MessageRejectedException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, for people
     * @param cause the underlying failure, or {@code null}
     */
    public MessageRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
