package io.securecomm.wire;

import java.util.Objects;

/**
 * The plaintext of a transport record is not a valid v1 {@link Message}. The exception carries a
 * {@link Reason} and the byte offset, within the plaintext, of the field at fault.
 */
public final class MalformedMessageException extends FrameException {
    private static final long serialVersionUID = 1L;

    /** What was wrong with the message. */
    public enum Reason {
        /** The message or one of its fields ends before its declared or fixed length. */
        TRUNCATED,
        /** Bytes remain after the last field of the message. */
        TRAILING_BYTES,
        /** The type code is not defined by this version (see {@link MessageType}). */
        UNKNOWN_TYPE,
        /** A string field is not well-formed UTF-8 (including overlong forms and encoded surrogates). */
        INVALID_UTF8,
        /** A field's length prefix, or a list's entry count, is above its cap in {@link Limits}. */
        FIELD_TOO_LONG,
        /**
         * A field has a value this version forbids: a client id below 1, a request id out of range, an
         * undefined enum code, an empty identity key.
         */
        INVALID_VALUE
    }

    /** What was wrong. */
    private final Reason reason;
    /** Byte offset of the field at fault within the message. */
    private final int offset;

    /**
     * Creates the exception.
     *
     * @param reason what was wrong
     * @param offset the byte offset, within the message, of the field at fault (for
     *     {@link Reason#INVALID_UTF8}, of the first bad byte)
     * @param detail which field and which values, for people; never the field's content
     */
    public MalformedMessageException(Reason reason, int offset, String detail) {
        super(Objects.requireNonNull(reason, "reason") + " at offset " + offset + ": " + detail);
        this.reason = reason;
        this.offset = offset;
    }

    /**
     * Returns what was wrong.
     *
     * @return the reason
     */
    public Reason reason() {
        return reason;
    }

    /**
     * Returns where it was wrong.
     *
     * @return the byte offset within the message of the field at fault
     */
    public int offset() {
        return offset;
    }
}
