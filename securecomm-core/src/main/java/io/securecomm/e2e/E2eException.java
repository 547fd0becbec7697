package io.securecomm.e2e;

import io.securecomm.SecureCommException;


/**
 * The checked root of every peer-caused failure in end-to-end encryption: a malformed, forged, replayed or
 * undecryptable message, a bad signature, or an identity that changed. Subclasses tell the cases apart.
 *
 * <p>After any of these failures the session state is unchanged: the message is discarded and the
 * session continues with the next valid message.
 */
public class E2eException extends SecureCommException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what went wrong, for people; never key or plaintext bytes
     */
    public E2eException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what went wrong, for people; never key or plaintext bytes
     * @param cause the underlying failure, or {@code null}
     */
    public E2eException(String message, Throwable cause) {
        super(message, cause);
    }
}
