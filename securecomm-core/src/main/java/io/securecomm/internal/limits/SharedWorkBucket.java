package io.securecomm.internal.limits;

/**
 * A {@link WorkBucket} shared by the connections of one remote address, which live on different event loops:
 * thread-safe (its own lock), and admits or refuses an operation atomically. All its callers must read the same
 * monotonic clock ({@link System#nanoTime()} in production).
 */
public final class SharedWorkBucket {
    private final WorkBucket bucket;

    /**
     * Creates a full bucket.
     *
     * @param capacity the most units the bucket holds, 1 to {@value WorkBucket#MAX_UNITS}
     * @param unitsPerSecond the refill rate, 1 to {@value WorkBucket#MAX_UNITS}
     * @param nowNanos the current time of the callers' monotonic clock
     */
    public SharedWorkBucket(long capacity, long unitsPerSecond, long nowNanos) {
        bucket = new WorkBucket(capacity, unitsPerSecond, nowNanos);
    }

    /**
     * Admits an operation if it may be admitted now, taking its units.
     *
     * @param cost the operation's units
     * @param nowNanos the current time of the callers' clock
     * @return 0 if it was admitted (and paid for), else the nanoseconds until it may be
     */
    public synchronized long tryTake(long cost, long nowNanos) {
        return bucket.tryTake(cost, nowNanos);
    }

    /**
     * Returns the units available now.
     *
     * @param nowNanos the current time of the callers' clock
     * @return the balance, negative while a debt is being paid back
     */
    public synchronized long balance(long nowNanos) {
        return bucket.balance(nowNanos);
    }

    @Override
    public synchronized String toString() {
        return "Shared" + bucket;
    }
}
