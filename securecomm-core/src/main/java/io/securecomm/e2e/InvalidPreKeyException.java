package io.securecomm.e2e;


/**
 * A pre-key message names a signed or one-time pre-key this party does not hold (never published, or
 * already consumed: one-time pre-keys are used once). The message is refused and nothing is consumed.
 */
public class InvalidPreKeyException extends E2eException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, for people; never key or plaintext bytes
     */
    public InvalidPreKeyException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, for people; never key or plaintext bytes
     * @param cause the underlying failure, or {@code null}
     */
    public InvalidPreKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
