package io.securecomm.e2e;


/**
 * There is no session (pairwise) or no sender key (room) for the peer a message names or is addressed to.
 * For a pairwise peer: fetch its {@link PreKeyBundle} and start a session first.
 */
public class NoSessionException extends E2eException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, for people; never key or plaintext bytes
     */
    public NoSessionException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, for people; never key or plaintext bytes
     * @param cause the underlying failure, or {@code null}
     */
    public NoSessionException(String message, Throwable cause) {
        super(message, cause);
    }
}
