package io.securecomm.wire;

/**
 * Why the relay refused a request, carried by {@link ErrorReply} as one byte.
 *
 * <p>Code 0 is never valid. A code this version does not define is a
 * {@link MalformedMessageException.Reason#INVALID_VALUE}: new codes come with a new protocol version
 * (docs/PROTOCOL.md, "Versioning"), so a v1 peer never has to guess.
 */
public enum ErrorCode {
    /** The recipient client id is not connected (and never was, as far as the relay knows). */
    UNKNOWN_RECIPIENT(1),
    /** The nickname breaks the rule of {@link Limits#isValidNickname(String)}. */
    INVALID_NICKNAME(2),
    /**
     * Another connected client already uses the nickname (one with the same canonical form, {@link Nickname#canonical})
     * or one that looks like it (the same skeleton, {@link Nickname#skeleton}, docs/PROTOCOL.md 8.2).
     */
    NICKNAME_TAKEN(3),
    /** The text is empty. */
    EMPTY_MESSAGE(4),
    /** The text is longer than {@link Limits#TEXT_MAX_BYTES}. */
    MESSAGE_TOO_LONG(5),
    /** The relay could not decode a message; it closes the connection after this reply. */
    MALFORMED_MESSAGE(6),
    /**
     * The message is well-formed but not allowed now or in this direction (for example, a chat message before the
     * hello); the relay closes the connection after this reply.
     */
    PROTOCOL_VIOLATION(7),
    /**
     * The relay dropped the request (docs/PROTOCOL.md 9.2): the client sent far more than the relay serves (the relay
     * slows a client that sends too much by reading less; it drops only what it had read beyond what it holds), asked
     * for one client's pre-key bundle too often, or sent a session-starting envelope to a recipient that receives too
     * many.
     */
    RATE_LIMITED(8),
    /** The recipient does not read fast enough; the message was dropped for it. */
    RECIPIENT_TOO_SLOW(9),
    /** The recipient disconnected before the message could be delivered. */
    RECIPIENT_GONE(10),
    /** The relay is shutting down and accepts no new requests. */
    SHUTTING_DOWN(11),
    /** The relay failed internally; the request may be retried. */
    INTERNAL_ERROR(12),
    /** The relay has reached its client limit ({@link Limits#CLIENT_LIST_MAX_ENTRIES} at most). */
    SERVER_FULL(13),
    /**
     * An {@link UploadPreKeys} did not decode, a signature in it did not verify, its identity's X25519 key is not the
     * client's Noise static key, or it carries a key or id the relay refuses (a non-canonical or small-order key, a
     * one-time pre-key id of 0, above 2<sup>31</sup> - 1 or repeated: docs/PROTOCOL.md 6.3); the upload was refused.
     */
    INVALID_PRE_KEYS(14),
    /** The client asked for has not published pre-keys, so no end-to-end session can be started with it yet. */
    NO_PRE_KEYS(15),
    /**
     * The nickname is registered to another identity key (an account, compared by canonical form; docs/RELAY.md,
     * "Accounts"). Sent only to a client that said {@link AccountHello}; an older client's {@link ClientHello} gets
     * {@link #NICKNAME_TAKEN} with a detail that says so.
     */
    NICKNAME_REGISTERED(16),
    /**
     * The recipient is offline and its stored messages are at a bound (count, bytes); the detail names the bound and
     * its limit. Nothing was stored.
     */
    QUEUE_FULL(17),
    /**
     * The recipient is offline and the relay's store failed to store the message (disk full, I/O error, overloaded);
     * nothing was stored, and sending again later may work.
     */
    NOT_STORED(18);

    private final int code;

    ErrorCode(int code) {
        this.code = code;
    }

    /**
     * Returns the code on the wire.
     *
     * @return the code, 1..255
     */
    public int code() {
        return code;
    }

    /** Returns the constant for a code, or {@code null} if v1 does not define it. */
    static ErrorCode fromCode(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}
