package io.securecomm.internal.limits;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;

/**
 * One recipient's room deliveries, shared fairly among the groups of senders (the remote addresses) that fan room
 * envelopes out to it: each group has its own {@link WorkBucket} of delivery work (the relay's modelled cost of
 * writing to this recipient), so one address cannot take more than its share of what the relay spends delivering to
 * any one client, whatever its work allowance would let it spend on the room as a whole (docs/SECURITY.md 4.2). A
 * delivery that does not fit is refused (its sender is told the recipient is too slow), not held: a room envelope
 * is one write for many recipients, and the others still get it.
 *
 * <p>Memory is bounded by the groups that sent to this recipient recently: a group whose bucket has refilled is
 * forgotten (a full bucket is what a new group starts with), checked whenever more than
 * {@value #SWEEP_THRESHOLD} groups are tracked.
 *
 * <p>Thread-safe (its own lock): senders on different event loops write to one recipient. Sans-I/O: callers pass
 * the time of one monotonic clock, in nanoseconds.
 */
public final class RecipientShares {
    /** Past this many tracked groups, refilled ones are forgotten before a new one is added. */
    static final int SWEEP_THRESHOLD = 64;

    private final long capacityMicros;
    private final long microsPerSecond;
    private final Map<Object, WorkBucket> groups = new HashMap<>();

    /**
     * Creates the shares of one recipient.
     *
     * @param capacityMicros the delivery work one group may have done in a burst, 1 to {@value WorkBucket#MAX_UNITS}
     * @param microsPerSecond the delivery work one group may have done per second, sustained, 1 to
     *     {@value WorkBucket#MAX_UNITS}
     * @throws IllegalArgumentException if a parameter is out of range
     */
    public RecipientShares(long capacityMicros, long microsPerSecond) {
        new WorkBucket(capacityMicros, microsPerSecond, 0); // checks the range once
        this.capacityMicros = capacityMicros;
        this.microsPerSecond = microsPerSecond;
    }

    /**
     * The shares that one group's work allowance buys of a recipient: {@code 1 / parts} of the group's allowance (burst
     * and rate), at least one microsecond.
     *
     * @param allowanceBurstMicros the group's burst of work (an address's)
     * @param allowanceMicrosPerSecond the group's work per second
     * @param parts how many recipients a group's allowance is split among, at least 1
     * @return the shares of one recipient
     */
    public static RecipientShares fractionOf(long allowanceBurstMicros, long allowanceMicrosPerSecond, int parts) {
        if (parts < 1) {
            throw new IllegalArgumentException("parts must be at least 1, got " + parts);
        }
        return new RecipientShares(clamp(allowanceBurstMicros / parts), clamp(allowanceMicrosPerSecond / parts));
    }

    private static long clamp(long micros) {
        return Math.max(1, Math.min(WorkBucket.MAX_UNITS, micros));
    }

    /**
     * Admits one delivery from a group, taking its work from the group's share, if the share has it now.
     *
     * @param group the sender's group (its address), compared with {@code equals}
     * @param costMicros the delivery's modelled work, 0 to {@value WorkBucket#MAX_UNITS}
     * @param nowNanos the time now, of the callers' monotonic clock
     * @return whether it is admitted (and paid for)
     */
    public synchronized boolean admit(Object group, long costMicros, long nowNanos) {
        Objects.requireNonNull(group, "group");
        WorkBucket bucket = groups.get(group);
        if (bucket == null) {
            if (groups.size() >= SWEEP_THRESHOLD) {
                forgetRefilled(nowNanos);
            }
            bucket = new WorkBucket(capacityMicros, microsPerSecond, nowNanos);
            groups.put(group, bucket);
        }
        return bucket.tryTake(costMicros, nowNanos) == 0;
    }

    /**
     * How many groups are tracked; for tests.
     *
     * @return the number of groups with a bucket
     */
    synchronized int trackedGroups() {
        return groups.size();
    }

    private void forgetRefilled(long nowNanos) {
        for (Iterator<WorkBucket> it = groups.values().iterator(); it.hasNext();) {
            if (it.next().balance(nowNanos) >= capacityMicros) {
                it.remove();
            }
        }
    }
}
