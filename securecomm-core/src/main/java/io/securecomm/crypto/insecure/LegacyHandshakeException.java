package io.securecomm.crypto.insecure;

import io.securecomm.SecureCommException;
import java.util.Objects;

/**
 * A legacy-suite handshake frame was not what the INSECURE legacy suite expects (see {@link LegacySuite}).
 */
public final class LegacyHandshakeException extends SecureCommException {
    private static final long serialVersionUID = 1L;

    /** Why a legacy handshake frame was refused. */
    public enum Reason {
        /** The frame does not start with the legacy magic {@code SCLEGACY}: it is not a legacy frame at all. */
        NOT_LEGACY,
        /** The frame starts with the magic but its length or fields are wrong. */
        MALFORMED,
        /** The frame is a legacy frame of another kind than the one expected at this point. */
        UNEXPECTED_KIND,
        /** The peer announced that it speaks only the legacy suite (the frame is a {@code LEGACY_ONLY} offer). */
        LEGACY_ONLY_PEER
    }

    /** Why; part of the serialized form. */
    private final Reason reason;

    /**
     * Creates the exception.
     *
     * @param reason why the frame was refused
     * @param message details for people
     */
    public LegacyHandshakeException(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /**
     * Why the frame was refused.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }
}
