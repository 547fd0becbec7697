package io.securecomm.crypto;

/**
 * A peer's public key was rejected: wrong length, out of range, outside the prime-order subgroup, or (see the
 * subclass {@link LowOrderPointException}) a low-order point that would give an all-zero shared secret.
 */
public class InvalidPublicKeyException extends CryptoException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong, for people; never key bytes
     */
    public InvalidPublicKeyException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong, for people; never key bytes
     * @param cause the underlying JCA failure, or {@code null}
     */
    public InvalidPublicKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
