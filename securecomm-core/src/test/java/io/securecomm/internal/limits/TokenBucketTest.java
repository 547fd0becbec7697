package io.securecomm.internal.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void startsFullAndEmptiesAfterCapacity() {
        TokenBucket b = new TokenBucket(3, 1, 0);
        assertTrue(b.tryAcquire(0));
        assertTrue(b.tryAcquire(0));
        assertTrue(b.tryAcquire(0));
        assertFalse(b.tryAcquire(0));
        assertEquals(0, b.available(0));
    }

    @Test
    void refillsOneTokenPerPeriod() {
        TokenBucket b = new TokenBucket(1, 4, 0);
        assertTrue(b.tryAcquire(0));
        assertFalse(b.tryAcquire(SECOND / 4 - 1), "a quarter second less a nanosecond is not yet a token");
        assertTrue(b.tryAcquire(SECOND / 4));
        assertFalse(b.tryAcquire(SECOND / 4));
    }

    @Test
    void neverHoldsMoreThanCapacityAfterALongQuietSpell() {
        TokenBucket b = new TokenBucket(5, 1_000_000, 0);
        for (int i = 0; i < 5; i++) {
            assertTrue(b.tryAcquire(0));
        }
        assertEquals(5, b.available(Long.MAX_VALUE / 2));
    }

    @Test
    void aClockThatStepsBackMintsNothing() {
        TokenBucket b = new TokenBucket(1, 1, 10 * SECOND);
        assertTrue(b.tryAcquire(10 * SECOND));
        assertFalse(b.tryAcquire(0), "going back 10 s adds nothing");
        assertFalse(b.tryAcquire(10 * SECOND + SECOND / 2), "and the interval is not counted twice");
        assertTrue(b.tryAcquire(11 * SECOND));
    }

    @Test
    void tellsWhenSeveralTokensAreThereAtOnce() {
        TokenBucket b = new TokenBucket(4, 10, 0);
        for (int i = 0; i < 4; i++) {
            assertTrue(b.tryAcquire(0));
        }
        assertEquals(SECOND / 10, b.nanosUntilAvailable(1, 0));
        assertEquals(3 * SECOND / 10, b.nanosUntilAvailable(3, 0));
        assertEquals(2, b.available(2 * SECOND / 10));
        assertEquals(SECOND / 10, b.nanosUntilAvailable(3, 2 * SECOND / 10), "one more token makes three");
        assertEquals(0, b.nanosUntilAvailable(2, 2 * SECOND / 10));
        assertEquals(b.nanosUntilAvailable(2 * SECOND / 10), b.nanosUntilAvailable(1, 2 * SECOND / 10));
        assertThrows(IllegalArgumentException.class, () -> b.nanosUntilAvailable(5, 0), "more than it ever holds");
        assertThrows(IllegalArgumentException.class, () -> b.nanosUntilAvailable(0, 0));
    }

    @Test
    void rejectsOutOfRangeParameters() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1_000_001, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, 1_000_001, 0));
    }

    /** The guarantee, exactly: admitted * 10^9 <= capacity * 10^9 + rate * elapsedNanos, for every prefix. */
    @Property(tries = 500)
    void neverAdmitsMoreThanCapacityPlusRateTimesElapsed(
            @ForAll @IntRange(min = 1, max = 1000) int capacity,
            @ForAll @IntRange(min = 1, max = 1000) int rate,
            @ForAll @LongRange(min = Long.MIN_VALUE / 4, max = Long.MAX_VALUE / 4) long start,
            @ForAll @Size(max = 300) List<@LongRange(min = 0, max = 50_000_000) Long> gaps) {
        TokenBucket b = new TokenBucket(capacity, rate, start);
        long now = start;
        long admitted = 0;
        for (long gap : gaps) {
            now += gap;
            if (b.tryAcquire(now)) {
                admitted++;
            }
            long elapsed = now - start;
            assertTrue(admitted * SECOND <= capacity * SECOND + rate * elapsed,
                    () -> "admitted more than the bucket allows");
        }
    }

    /** Refills: after waiting capacity/rate seconds the bucket serves a full burst again, whatever came before. */
    @Property(tries = 300)
    void refillsToAFullBurst(
            @ForAll @IntRange(min = 1, max = 100) int capacity,
            @ForAll @IntRange(min = 1, max = 100) int rate,
            @ForAll @Size(max = 100) List<@LongRange(min = 0, max = 10_000_000) Long> gaps) {
        TokenBucket b = new TokenBucket(capacity, rate, 0);
        long now = 0;
        for (long gap : gaps) {
            now += gap;
            b.tryAcquire(now);
        }
        now += (capacity * SECOND + rate - 1) / rate;
        for (int i = 0; i < capacity; i++) {
            assertTrue(b.tryAcquire(now), "token " + i + " of a refilled bucket");
        }
        assertFalse(b.tryAcquire(now));
    }

    /** A well-behaved sender, never faster than the rate, is always admitted. */
    @Property(tries = 300)
    void aSenderWithinTheRateIsNeverRefused(
            @ForAll @IntRange(min = 1, max = 100) int capacity,
            @ForAll @IntRange(min = 1, max = 1000) int rate,
            @ForAll @Size(max = 200) List<@LongRange(min = 0, max = 2_000_000_000) Long> extraGaps) {
        TokenBucket b = new TokenBucket(capacity, rate, 0);
        long period = (SECOND + rate - 1) / rate;
        long now = 0;
        List<Boolean> results = new ArrayList<>();
        for (long extra : extraGaps) {
            results.add(b.tryAcquire(now));
            now += period + extra;
        }
        assertFalse(results.contains(false));
    }

    /** A clock that steps back mints nothing: the bound holds against the latest time seen. */
    @Property(tries = 300)
    void aClockGoingBackAndForthNeverMintsTokens(
            @ForAll @IntRange(min = 1, max = 50) int capacity,
            @ForAll @IntRange(min = 1, max = 1_000_000) int rate,
            @ForAll @Size(max = 200) List<@LongRange(min = -3_000_000_000L, max = 3_000_000_000L) Long> steps) {
        TokenBucket b = new TokenBucket(capacity, rate, 0);
        long now = 0;
        long latest = 0;
        long admitted = 0;
        for (long step : steps) {
            now += step;
            latest = Math.max(latest, now);
            int available = b.available(now);
            assertTrue(available >= 0 && available <= capacity, "available " + available);
            if (b.tryAcquire(now)) {
                admitted++;
            }
            assertTrue(admitted * SECOND <= capacity * SECOND + rate * latest, "admitted " + admitted);
        }
    }
}
