package io.securecomm.noise;

import io.securecomm.SecureCommException;
import java.util.Objects;

/**
 * A Noise handshake failed because of what the peer sent, or did not send in time. The {@link HandshakeState} that
 * threw it is permanently {@link HandshakeAction#FAILED}; the network adapter throws it too, for a message out of
 * turn ({@link Reason#UNEXPECTED_MESSAGE}) and a missed deadline ({@link Reason#TIMED_OUT}), and closes the
 * connection.
 */
public final class HandshakeException extends SecureCommException {
    private static final long serialVersionUID = 1L;

    /** Why a handshake failed. */
    public enum Reason {
        /** A handshake message did not authenticate: wrong keys, wrong prologue or psk, or tampering. */
        DECRYPT_FAILED,
        /** A handshake message is too short for the tokens the pattern expects. */
        MALFORMED_MESSAGE,
        /** A handshake message is longer than the Noise limit of 65535 bytes. */
        MESSAGE_TOO_LARGE,
        /** The peer sent a public key the DH function rejects, such as a small-order point. */
        INVALID_PUBLIC_KEY,
        /** The peer sent a handshake message out of turn, when this side expected to write or to split. */
        UNEXPECTED_MESSAGE,
        /** The handshake did not complete within its deadline (raised by the network adapter, not the state). */
        TIMED_OUT
    }

    /** Why the failure happened; part of the serialized form. */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason why the handshake failed
     * @param message details for people; never key bytes
     * @param cause the underlying failure, or {@code null}
     */
    public HandshakeException(Reason reason, String message, Throwable cause) {
        super(Objects.requireNonNull(reason, "reason") + ": " + message, cause);
        this.reason = reason;
    }

    /**
     * Returns why the handshake failed.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
