package io.securecomm.wire;

/**
 * Why a peer closes the session, carried by {@link Bye} as one byte.
 *
 * <p>Code 0 is never valid; an undefined code is a {@link MalformedMessageException.Reason#INVALID_VALUE}.
 */
public enum ByeReason {
    /** The user quit the client. */
    CLIENT_EXIT(1),
    /** The relay is shutting down. */
    SERVER_SHUTDOWN(2),
    /** The peer broke the protocol (malformed or out-of-turn message). */
    PROTOCOL_ERROR(3),
    /** The session was idle too long. */
    IDLE_TIMEOUT(4),
    /** The peer sent faster than allowed for too long. */
    RATE_LIMITED(5),
    /** The peer read too slowly and its outgoing queue overflowed. */
    TOO_SLOW(6),
    /** An operator removed the client. */
    KICKED(7),
    /** The sender failed internally. */
    INTERNAL_ERROR(8);

    private final int code;

    ByeReason(int code) {
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
    static ByeReason fromCode(int code) {
        for (ByeReason r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }
}
