package io.securecomm.noise;

/**
 * Thrown when a {@link CipherState}'s nonce has reached {@code 2^64-1}, the value Noise reserves for
 * {@code Rekey} (revision 34, section 5.1): the cipher state may not encrypt or decrypt any more. A
 * session must be replaced long before this; it cannot happen by accident in practice.
 */
public final class NonceExhaustedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what happened
     */
    public NonceExhaustedException(String message) {
        super(message);
    }
}
