package io.securecomm.relay;

import io.securecomm.wire.LeaveReason;

/**
 * Why an admitted client left the relay, as {@link RelayListener#onClientLeft} reports it.
 *
 * <p>The other clients learn of a departure through the wire's coarser {@link LeaveReason}, which
 * {@code ChatListener.onLeave} reports: {@link #TOO_SLOW} and {@link #RATE_LIMITED} are both a kick there. The
 * reasons the two share are described in the same words, {@link LeaveReason#description()}'s.
 */
public enum DepartureReason {
    /** The client said goodbye. */
    LEFT(LeaveReason.BYE.description()),
    /** The connection ended without a goodbye (a crash, a reset, a lost network). */
    DISCONNECTED(LeaveReason.DISCONNECTED.description()),
    /** The client sent nothing for the relay's idle timeout. */
    TIMED_OUT(LeaveReason.TIMED_OUT.description()),
    /** The client did not read what the relay sent it, and its queue reached the relay's limit. */
    TOO_SLOW("too slow"),
    /** The client kept sending faster than the relay's rate limit after being told to slow down. */
    RATE_LIMITED("rate limited"),
    /** The relay shut down while the client was online, and told it goodbye. */
    RELAY_SHUTDOWN("relay shut down");

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
