package io.securecomm.e2e;


/**
 * An Ed25519 signature did not verify: an identity key's binding signature, a signed pre-key's signature
 * in a {@link PreKeyBundle}, or a room message's signature. The signed data is refused.
 */
public class InvalidSignatureException extends E2eException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, for people; never key or plaintext bytes
     */
    public InvalidSignatureException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, for people; never key or plaintext bytes
     * @param cause the underlying failure, or {@code null}
     */
    public InvalidSignatureException(String message, Throwable cause) {
        super(message, cause);
    }
}
