package io.securecomm.relay.store.tck;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock the suite moves forward by hand, so expiry is tested without waiting. Thread-safe.
 */
public final class AdjustableClock extends Clock {
    private volatile Instant now;

    /**
     * Creates a clock standing at a given instant.
     *
     * @param start the time it shows until moved
     */
    public AdjustableClock(Instant start) {
        this.now = Objects.requireNonNull(start, "start");
    }

    /**
     * Moves the clock forward.
     *
     * @param by how far, not negative
     * @throws IllegalArgumentException if negative
     */
    public void advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("a clock for expiry tests only moves forward, not by " + by);
        }
        now = now.plus(by);
    }

    /**
     * Always UTC.
     *
     * @return UTC
     */
    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /**
     * This clock itself: the zone does not matter to instants.
     *
     * @param zone ignored
     * @return this clock
     */
    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    /**
     * The time the clock stands at.
     *
     * @return the current instant
     */
    @Override
    public Instant instant() {
        return now;
    }
}
