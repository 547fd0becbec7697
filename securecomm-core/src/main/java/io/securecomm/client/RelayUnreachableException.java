package io.securecomm.client;

/**
 * The relay could not be reached: the TCP connection was refused or timed out, or the host name did not resolve.
 */
public final class RelayUnreachableException extends ChatClientException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, for people
     */
    public RelayUnreachableException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, for people
     * @param cause the underlying failure, or {@code null}
     */
    public RelayUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
