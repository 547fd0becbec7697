package io.securecomm;

/**
 * The checked root of every failure a peer, the network or stored data can cause in securecomm.
 *
 * <p>Each package throws specific subclasses (an authentication failure, a malformed frame, a failed
 * handshake with its reason, an untrusted identity), so a caller can catch this one type or tell the
 * cases apart. Mistakes by the calling code itself are reported with unchecked exceptions instead:
 * {@link IllegalArgumentException}, {@link IllegalStateException} and {@link NullPointerException}.
 *
 * <p>Messages name sizes, limits and expected values; they never contain key or plaintext bytes.
 */
public class SecureCommException extends Exception {
    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message.
     *
     * @param message what went wrong, for people; never key or plaintext bytes
     */
    public SecureCommException(String message) {
        super(message);
    }

    /**
     * Creates an exception with a message and a cause.
     *
     * @param message what went wrong, for people; never key or plaintext bytes
     * @param cause the underlying failure, or {@code null}
     */
    public SecureCommException(String message, Throwable cause) {
        super(message, cause);
    }
}
