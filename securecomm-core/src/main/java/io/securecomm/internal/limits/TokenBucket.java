package io.securecomm.internal.limits;

/**
 * A token bucket: holds at most {@code capacity} tokens, refills continuously at {@code tokensPerSecond}, and
 * admits an event only when a whole token is there to take.
 *
 * <p>Guarantee: over any run of calls whose times span {@code t} nanoseconds, at most
 * {@code capacity + tokensPerSecond * t / 10^9} events are admitted (exactly, in integer arithmetic: tokens are
 * kept in units of 10<sup>-9</sup> token, so no rounding ever adds credit).
 *
 * <p>Sans-I/O: it never reads a clock. The caller passes the current time of a monotonic source
 * ({@link System#nanoTime()} in production, a counter in tests). A time earlier than one already seen adds
 * nothing, so a clock that steps back cannot mint tokens.
 *
 * <p>Not thread-safe; confine each instance to one connection's event loop.
 */
public final class TokenBucket {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long capacityScaled;
    private final long tokensPerSecond;
    private long tokensScaled;
    private long lastNanos;

    /**
     * Creates a full bucket.
     *
     * @param capacity the most tokens the bucket holds, 1 to 1,000,000
     * @param tokensPerSecond the refill rate, 1 to 1,000,000
     * @param nowNanos the current time of the caller's monotonic clock
     * @throws IllegalArgumentException if a parameter is out of range
     */
    public TokenBucket(int capacity, int tokensPerSecond, long nowNanos) {
        if (capacity < 1 || capacity > 1_000_000) {
            throw new IllegalArgumentException("capacity must be 1..1000000, got " + capacity);
        }
        if (tokensPerSecond < 1 || tokensPerSecond > 1_000_000) {
            throw new IllegalArgumentException("tokensPerSecond must be 1..1000000, got " + tokensPerSecond);
        }
        this.capacityScaled = capacity * NANOS_PER_SECOND;
        this.tokensPerSecond = tokensPerSecond;
        this.tokensScaled = capacityScaled;
        this.lastNanos = nowNanos;
    }

    /**
     * Takes one token if there is one.
     *
     * @param nowNanos the current time of the same clock as the constructor's
     * @return {@code true} if a token was taken (the event is admitted), {@code false} if the bucket is empty
     */
    public boolean tryAcquire(long nowNanos) {
        refill(nowNanos);
        if (tokensScaled >= NANOS_PER_SECOND) {
            tokensScaled -= NANOS_PER_SECOND;
            return true;
        }
        return false;
    }

    /**
     * Counts the whole tokens available now, without taking any.
     *
     * @param nowNanos the current time of the same clock as the constructor's
     * @return 0 to the capacity
     */
    public int available(long nowNanos) {
        refill(nowNanos);
        return (int) (tokensScaled / NANOS_PER_SECOND);
    }

    /**
     * Tells how long until a whole token is there to take, without taking any.
     *
     * @param nowNanos the current time of the same clock as the constructor's
     * @return 0 if a token is available now, else the nanoseconds until one is
     */
    public long nanosUntilAvailable(long nowNanos) {
        return nanosUntilAvailable(1, nowNanos);
    }

    /**
     * Tells how long until {@code tokens} whole tokens are there at once, without taking any.
     *
     * @param tokens how many, 1 to the capacity
     * @param nowNanos the current time of the same clock as the constructor's
     * @return 0 if that many are available now, else the nanoseconds until they are
     * @throws IllegalArgumentException if {@code tokens} is under 1 or over the capacity (the bucket never holds them)
     */
    public long nanosUntilAvailable(int tokens, long nowNanos) {
        if (tokens < 1 || tokens > capacity()) {
            throw new IllegalArgumentException("tokens must be 1.." + capacity() + ", got " + tokens);
        }
        refill(nowNanos);
        long missing = tokens * NANOS_PER_SECOND - tokensScaled;
        return missing <= 0 ? 0 : (missing + tokensPerSecond - 1) / tokensPerSecond;
    }

    /**
     * Returns the most tokens the bucket holds.
     *
     * @return the capacity
     */
    public int capacity() {
        return (int) (capacityScaled / NANOS_PER_SECOND);
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed <= 0) {
            // The same instant, or a clock that went back: nothing to add, and lastNanos keeps the latest time
            // seen so that the interval is not counted twice when the clock comes forward again.
            return;
        }
        lastNanos = nowNanos;
        long missing = capacityScaled - tokensScaled;
        // elapsed * tokensPerSecond would overflow for long gaps; the bucket is full long before that.
        if (elapsed >= missing / tokensPerSecond + 1) {
            tokensScaled = capacityScaled;
        } else {
            tokensScaled += elapsed * tokensPerSecond;
        }
    }

    @Override
    public String toString() {
        return "TokenBucket[capacity=" + capacity() + ", tokensPerSecond=" + tokensPerSecond + "]";
    }
}
