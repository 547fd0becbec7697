package io.securecomm.internal.limits;

/**
 * What one message from a client costs the relay, estimated before the relay does the work (docs/SECURITY.md,
 * "Cost model").
 *
 * @param workMicros the relay's CPU for it, in microseconds of the cost model; 0 or more
 * @param request whether it counts against the request rate (every message after the hello but the goodbye)
 * @param upload whether it is a pre-key upload, which has its own allowance
 */
public record Cost(long workMicros, boolean request, boolean upload) {
    /** The hello and the goodbye: one of each per connection, never limited. */
    public static final Cost FREE = new Cost(0, false, false);

    /**
     * Checks the work.
     *
     * @param workMicros the relay's CPU for the message, in microseconds of the cost model
     * @param request whether it counts against the request rate
     * @param upload whether it is a pre-key upload
     * @throws IllegalArgumentException if the work is negative or above {@value WorkBucket#MAX_UNITS}
     */
    public Cost {
        if (workMicros < 0 || workMicros > WorkBucket.MAX_UNITS) {
            throw new IllegalArgumentException("workMicros must be 0.." + WorkBucket.MAX_UNITS + ", got " + workMicros);
        }
    }

    /**
     * A request of this much work.
     *
     * @param workMicros the relay's CPU for it, in microseconds of the cost model
     * @return the cost
     */
    public static Cost request(long workMicros) {
        return new Cost(workMicros, true, false);
    }
}
