package io.securecomm.relay;

/**
 * Why an admitted client left the relay, as {@link RelayListener#onClientLeft} reports it.
 *
 * <p>The other clients learn of a departure through the wire's coarser {@code io.securecomm.wire.LeaveReason}:
 * {@link #TOO_SLOW} and {@link #RATE_LIMITED} are both a kick there.
 */
public enum DepartureReason {
    /** The client said goodbye. */
    LEFT("left"),
    /** The connection ended without a goodbye (a crash, a reset, a lost network). */
    DISCONNECTED("disconnected"),
    /** The client sent nothing for the relay's idle timeout. */
    TIMED_OUT("timed out"),
    /** The client did not read what the relay sent it, and its queue reached the relay's limit. */
    TOO_SLOW("too slow"),
    /** The client kept sending faster than the relay's rate limit after being told to slow down. */
    RATE_LIMITED("rate limited");

    private final String description;

    DepartureReason(String description) {
        this.description = description;
    }

    /**
     * A few words for a log line, such as "left" or "too slow".
     *
     * @return the description, in lower case
     */
    public String description() {
        return description;
    }
}
