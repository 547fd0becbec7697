package io.securecomm.client;

import io.securecomm.SecureCommException;

/**
 * The root of every failure of a {@link ChatClient} operation that the relay, the network or a peer
 * can cause. Futures returned by the client fail with one of its specific subclasses, so a caller can
 * catch this type or tell the cases apart.
 */
public class ChatClientException extends SecureCommException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, for people
     */
    public ChatClientException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, for people
     * @param cause the underlying failure, or {@code null}
     */
    public ChatClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
