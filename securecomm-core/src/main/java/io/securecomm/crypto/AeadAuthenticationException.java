package io.securecomm.crypto;

/**
 * An AEAD ciphertext failed authentication: the ciphertext, tag, nonce or associated data was modified, the
 * key is wrong, or the input is shorter than a tag. No plaintext is released when this is thrown.
 */
public final class AeadAuthenticationException extends CryptoException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong, for people; never key or plaintext bytes
     */
    public AeadAuthenticationException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong, for people; never key or plaintext bytes
     * @param cause the underlying JCA failure, or {@code null}
     */
    public AeadAuthenticationException(String message, Throwable cause) {
        super(message, cause);
    }
}
