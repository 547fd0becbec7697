package io.securecomm.crypto;

/**
 * The peer's X25519 or X448 public key is a low-order point: the key agreement produced the all-zero shared
 * secret, which RFC 7748 section 6.1 allows a party to check for and abort on. securecomm always aborts, so an
 * attacker cannot force a known shared secret; the all-zero value is never returned.
 */
public final class LowOrderPointException extends InvalidPublicKeyException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong, for people; never key bytes
     */
    public LowOrderPointException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong, for people; never key bytes
     * @param cause the underlying JCA failure, or {@code null}
     */
    public LowOrderPointException(String message, Throwable cause) {
        super(message, cause);
    }
}
