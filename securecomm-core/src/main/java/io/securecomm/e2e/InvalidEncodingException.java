package io.securecomm.e2e;


/**
 * Bytes that do not parse as the expected structure: truncated, too long, an unknown version or type byte,
 * or a field of the wrong length. Nothing was decrypted and no state changed.
 */
public class InvalidEncodingException extends E2eException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, for people; never key or plaintext bytes
     */
    public InvalidEncodingException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, for people; never key or plaintext bytes
     * @param cause the underlying failure, or {@code null}
     */
    public InvalidEncodingException(String message, Throwable cause) {
        super(message, cause);
    }
}
