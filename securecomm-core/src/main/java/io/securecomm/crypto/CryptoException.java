package io.securecomm.crypto;

import io.securecomm.SecureCommException;

/**
 * The checked root of every failure of the crypto layer that a peer or stored data can cause: a forged or
 * corrupted ciphertext, an invalid public key.
 *
 * <p>Messages name sizes and expected values; they never contain key or plaintext bytes.
 */
public class CryptoException extends SecureCommException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong, for people; never key or plaintext bytes
     */
    public CryptoException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong, for people; never key or plaintext bytes
     * @param cause the underlying failure, or {@code null}
     */
    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
