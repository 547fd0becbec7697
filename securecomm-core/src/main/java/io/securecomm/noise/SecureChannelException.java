package io.securecomm.noise;

import io.securecomm.SecureCommException;
import java.util.Objects;

/**
 * A transport record could not be opened. The {@link SecureChannel} that threw it is poisoned: every
 * later call throws {@link IllegalStateException}.
 */
public final class SecureChannelException extends SecureCommException {
    private static final long serialVersionUID = 1L;

    /** Why a record was rejected. */
    public enum Reason {
        /**
         * The record did not authenticate under the expected key and nonce: forged, altered, replayed,
         * reordered or truncated.
         */
        AUTHENTICATION_FAILED,
        /** The record is shorter than the 16-byte authentication tag. */
        RECORD_TOO_SHORT,
        /** The record is longer than the Noise limit of 65535 bytes. */
        RECORD_TOO_LARGE
    }

    /** Why the failure happened; part of the serialized form. */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason why the record was rejected
     * @param message details for people; never key or plaintext bytes
     * @param cause the underlying failure, or {@code null}
     */
    public SecureChannelException(Reason reason, String message, Throwable cause) {
        super(Objects.requireNonNull(reason, "reason") + ": " + message, cause);
        this.reason = reason;
    }

    /**
     * Returns why the record was rejected.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
