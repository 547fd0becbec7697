package io.securecomm.e2e;


/**
 * A message failed to authenticate or decrypt (the AEAD tag did not verify): it was tampered with, truncated,
 * mis-addressed, or encrypted under keys this party does not hold. The session state is unchanged.
 */
public class InvalidMessageException extends E2eException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, for people; never key or plaintext bytes
     */
    public InvalidMessageException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, for people; never key or plaintext bytes
     * @param cause the underlying failure, or {@code null}
     */
    public InvalidMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
