package io.securecomm.wire;

/**
 * Why a client left the room, carried by {@link Left} as one byte.
 *
 * <p>Code 0 is never valid; an undefined code is a {@link MalformedMessageException.Reason#INVALID_VALUE}.
 */
public enum LeaveReason {
    /** The client said {@link Bye}. */
    BYE(1, "left"),
    /** The connection ended without a {@link Bye}. */
    DISCONNECTED(2, "disconnected"),
    /** The client stopped answering and the relay timed it out. */
    TIMED_OUT(3, "timed out"),
    /** The relay removed the client (protocol error, rate limit or too slow a reader). */
    KICKED(4, "kicked");

    private final int code;
    private final String description;

    LeaveReason(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /**
     * A few words for a user, such as "left" or "timed out" (what the terminal client prints after a nickname).
     *
     * @return the description, in lower case
     */
    public String description() {
        return description;
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
    static LeaveReason fromCode(int code) {
        for (LeaveReason r : values()) {
            if (r.code == code) {
                return r;
            }
        }
        return null;
    }
}
