package io.securecomm.benchmarks.relay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that jumps forward on request: every pre-key upload prepared with it after a jump past
 * {@code PreKeys.SIGNED_PRE_KEY_ROTATION} carries a new signed pre-key. Not thread-safe.
 */
final class SkippingClock extends Clock {
    private Instant now = Instant.now();

    /**
     * Moves the clock forward.
     *
     * @param d how far
     */
    void skip(Duration d) {
        now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
