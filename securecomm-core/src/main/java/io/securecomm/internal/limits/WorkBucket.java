package io.securecomm.internal.limits;

/**
 * A token bucket of weighted work: holds at most {@code capacity} units, refills continuously at
 * {@code unitsPerSecond}, and admits an operation of cost {@code c} when {@code min(c, capacity)} units are there,
 * then takes all {@code c} (the balance may go below zero: a debt that the refill pays back before anything else is
 * admitted). An operation dearer than the whole bucket therefore still runs, once the bucket is full, and is paid
 * for in full.
 *
 * <p>Guarantee: over any run of admissions whose times span {@code t} nanoseconds, the units admitted are at most
 * {@code capacity + unitsPerSecond * t / 10^9 + c_max}, where {@code c_max} is the dearest operation among them
 * (exactly, in integer arithmetic: units are kept in 10<sup>-9</sup>, so no rounding adds credit).
 *
 * <p>Sans-I/O: the caller passes the time of a monotonic clock. A time earlier than one already seen adds nothing.
 * Not thread-safe; see {@link SharedWorkBucket} for one shared by several event loops.
 */
public final class WorkBucket {
    /** The largest capacity and rate: keeps {@code units * 10^9} within a {@code long}. */
    public static final long MAX_UNITS = 1_000_000_000L;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long capacityScaled;
    private final long unitsPerSecond;
    private long balanceScaled;
    private long lastNanos;

    /**
     * Creates a full bucket.
     *
     * @param capacity the most units the bucket holds, 1 to {@value #MAX_UNITS}
     * @param unitsPerSecond the refill rate, 1 to {@value #MAX_UNITS}
     * @param nowNanos the current time of the caller's monotonic clock
     * @throws IllegalArgumentException if a parameter is out of range
     */
    public WorkBucket(long capacity, long unitsPerSecond, long nowNanos) {
        if (capacity < 1 || capacity > MAX_UNITS) {
            throw new IllegalArgumentException("capacity must be 1.." + MAX_UNITS + ", got " + capacity);
        }
        if (unitsPerSecond < 1 || unitsPerSecond > MAX_UNITS) {
            throw new IllegalArgumentException("unitsPerSecond must be 1.." + MAX_UNITS + ", got " + unitsPerSecond);
        }
        this.capacityScaled = capacity * NANOS_PER_SECOND;
        this.unitsPerSecond = unitsPerSecond;
        this.balanceScaled = capacityScaled;
        this.lastNanos = nowNanos;
    }

    /**
     * Tells how long until an operation of this cost may be admitted, without taking anything.
     *
     * @param cost the operation's units, 0 to {@value #MAX_UNITS}
     * @param nowNanos the current time of the same clock as the constructor's
     * @return 0 if it may be admitted now, else the nanoseconds until it may
     * @throws IllegalArgumentException if the cost is out of range
     */
    public long nanosUntil(long cost, long nowNanos) {
        checkCost(cost);
        refill(nowNanos);
        long missing = Math.min(cost * NANOS_PER_SECOND, capacityScaled) - balanceScaled;
        return missing <= 0 ? 0 : (missing + unitsPerSecond - 1) / unitsPerSecond;
    }

    /**
     * Takes an operation's units, whatever the balance (call {@link #nanosUntil} first to respect the bucket).
     *
     * @param cost the operation's units, 0 to {@value #MAX_UNITS}
     * @param nowNanos the current time of the same clock as the constructor's
     * @throws IllegalArgumentException if the cost is out of range
     */
    public void take(long cost, long nowNanos) {
        checkCost(cost);
        refill(nowNanos);
        balanceScaled -= cost * NANOS_PER_SECOND;
    }

    /**
     * Admits an operation if it may be admitted now, taking its units.
     *
     * @param cost the operation's units, 0 to {@value #MAX_UNITS}
     * @param nowNanos the current time of the same clock as the constructor's
     * @return 0 if it was admitted (and paid for), else the nanoseconds until it may be
     */
    public long tryTake(long cost, long nowNanos) {
        long wait = nanosUntil(cost, nowNanos);
        if (wait == 0) {
            balanceScaled -= cost * NANOS_PER_SECOND;
        }
        return wait;
    }

    /**
     * Returns the units available now: negative while a debt is being paid back.
     *
     * @param nowNanos the current time of the same clock as the constructor's
     * @return the balance, in whole units (rounded toward zero)
     */
    public long balance(long nowNanos) {
        refill(nowNanos);
        return balanceScaled / NANOS_PER_SECOND;
    }

    /**
     * Returns the most units the bucket holds.
     *
     * @return the capacity
     */
    public long capacity() {
        return capacityScaled / NANOS_PER_SECOND;
    }

    /**
     * Returns the refill rate.
     *
     * @return units per second
     */
    public long unitsPerSecond() {
        return unitsPerSecond;
    }

    private static void checkCost(long cost) {
        if (cost < 0 || cost > MAX_UNITS) {
            throw new IllegalArgumentException("cost must be 0.." + MAX_UNITS + ", got " + cost);
        }
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed <= 0) {
            return;
        }
        lastNanos = nowNanos;
        long missing = capacityScaled - balanceScaled;
        if (missing <= 0) {
            return;
        }
        // elapsed * unitsPerSecond would overflow for long gaps; the bucket is full long before that.
        if (elapsed >= missing / unitsPerSecond + 1) {
            balanceScaled = capacityScaled;
        } else {
            balanceScaled += elapsed * unitsPerSecond;
        }
    }

    @Override
    public String toString() {
        return "WorkBucket[capacity=" + capacity() + ", unitsPerSecond=" + unitsPerSecond + "]";
    }
}
