package io.securecomm.e2e;

/**
 * A message claims a position so far ahead in its chain that reaching it would store more skipped
 * message keys than the documented maximum ({@code RatchetSession.MAX_SKIP} for pairwise sessions,
 * {@code SenderKeyState.MAX_SKIP} for room chains). The message is refused and the session state is
 * unchanged, so a hostile peer or relay cannot make this party derive and store unbounded keys.
 */
public class TooManySkippedMessagesException extends E2eException {
    private static final long serialVersionUID = 1L;

    /** How many message keys reaching the message would skip. */
    private final long requested;
    /** The maximum that may be skipped. */
    private final int limit;

    /**
     * Creates the exception.
     *
     * @param requested how many message keys reaching the message would skip
     * @param limit the maximum that may be skipped
     */
    public TooManySkippedMessagesException(long requested, int limit) {
        super("message would skip " + requested + " message keys; the maximum is " + limit);
        this.requested = requested;
        this.limit = limit;
    }

    /**
     * Returns how many message keys reaching the message would have skipped.
     *
     * @return the requested skip
     */
    public long requested() {
        return requested;
    }

    /**
     * Returns the maximum number of message keys that may be skipped.
     *
     * @return the limit
     */
    public int limit() {
        return limit;
    }
}
