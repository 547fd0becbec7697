package io.securecomm.internal.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.internal.limits.RateLimiter.Decision;
import io.securecomm.internal.limits.RateLimiter.State;
import io.securecomm.relay.RateLimit;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void aBurstIsAdmittedThenRejectedThenDisconnected() {
        RateLimiter l = new RateLimiter(new RateLimit(1, 3, 2, Duration.ofSeconds(10)), 0);
        assertEquals(Decision.ADMIT, l.onRequest(0));
        assertEquals(Decision.ADMIT, l.onRequest(0));
        assertEquals(Decision.ADMIT, l.onRequest(0));
        assertEquals(Decision.REJECT, l.onRequest(0));
        assertEquals(Decision.REJECT, l.onRequest(0));
        assertEquals(State.ACTIVE, l.state());
        assertEquals(Decision.DISCONNECT, l.onRequest(0));
        assertEquals(State.DISCONNECTED, l.state());
        assertEquals(Decision.DISCONNECT, l.onRequest(100 * SECOND), "disconnection is final");
        assertEquals(4, l.rejectedRequests());
    }

    @Test
    void theDefaultsTolerateAPastedBlockAndStopAFlood() {
        RateLimiter l = new RateLimiter(RateLimit.defaults(), 0);
        int admitted = 0;
        int rejected = 0;
        Decision d;
        while ((d = l.onRequest(0)) != Decision.DISCONNECT) {
            if (d == Decision.ADMIT) {
                admitted++;
            } else {
                rejected++;
            }
        }
        assertEquals(40, admitted);
        assertEquals(100, rejected);
    }

    @Test
    void strikesComeBackOverTheWindow() {
        RateLimiter l = new RateLimiter(new RateLimit(1, 1, 2, Duration.ofSeconds(2)), 0);
        assertEquals(Decision.ADMIT, l.onRequest(0));
        assertEquals(Decision.REJECT, l.onRequest(0));
        assertEquals(Decision.REJECT, l.onRequest(0));
        // A full window later both buckets are full again: the client was rude, not abusive.
        assertEquals(Decision.ADMIT, l.onRequest(2 * SECOND));
        assertEquals(Decision.REJECT, l.onRequest(2 * SECOND));
        assertEquals(Decision.REJECT, l.onRequest(2 * SECOND));
        assertEquals(Decision.DISCONNECT, l.onRequest(2 * SECOND));
    }

    @Test
    void strikeRefillRoundsUpToOnePerSecond() {
        assertEquals(10, RateLimiter.strikeRefillPerSecond(RateLimit.defaults()));
        assertEquals(1, RateLimiter.strikeRefillPerSecond(new RateLimit(1, 1, 1, Duration.ofHours(1))));
        assertEquals(3, RateLimiter.strikeRefillPerSecond(new RateLimit(1, 1, 5, Duration.ofSeconds(2))));
    }

    /** Escalation is monotonic: once DISCONNECT, always DISCONNECT, under any interleaving of request times. */
    @Property(tries = 300)
    void disconnectionIsFinalUnderAnyInterleaving(
            @ForAll @IntRange(min = 1, max = 20) int rate,
            @ForAll @IntRange(min = 1, max = 20) int burst,
            @ForAll @IntRange(min = 1, max = 20) int strikes,
            @ForAll @IntRange(min = 1, max = 5000) int windowMillis,
            @ForAll @Size(max = 400) List<@LongRange(min = -SECOND, max = 3 * SECOND) Long> steps) {
        RateLimiter l = new RateLimiter(new RateLimit(rate, burst, strikes, Duration.ofMillis(windowMillis)), 0);
        long now = 0;
        boolean disconnected = false;
        for (long step : steps) {
            now += step;
            Decision d = l.onRequest(now);
            if (disconnected) {
                assertEquals(Decision.DISCONNECT, d);
            }
            disconnected |= d == Decision.DISCONNECT;
            assertEquals(disconnected ? State.DISCONNECTED : State.ACTIVE, l.state());
        }
    }

    /** Whatever a client sends, no more than burst + rate * elapsed requests are served. */
    @Property(tries = 300)
    void neverAdmitsMoreThanTheRateAllows(
            @ForAll @IntRange(min = 1, max = 50) int rate,
            @ForAll @IntRange(min = 1, max = 50) int burst,
            @ForAll @IntRange(min = 1, max = 50) int strikes,
            @ForAll @Size(max = 400) List<@LongRange(min = 0, max = 200_000_000) Long> gaps) {
        RateLimiter l = new RateLimiter(new RateLimit(rate, burst, strikes, Duration.ofSeconds(1)), 0);
        long now = 0;
        long admitted = 0;
        for (long gap : gaps) {
            now += gap;
            if (l.onRequest(now) == Decision.ADMIT) {
                admitted++;
            }
            assertTrue(admitted * SECOND <= burst * SECOND + rate * now);
        }
    }

    /** A client that never exceeds the rate is never rejected, let alone disconnected. */
    @Property(tries = 300)
    void escalatesOnlyOnAbuse(
            @ForAll @IntRange(min = 1, max = 100) int rate,
            @ForAll @IntRange(min = 1, max = 50) int burst,
            @ForAll @IntRange(min = 1, max = 50) int strikes,
            @ForAll @Size(max = 300) List<@LongRange(min = 0, max = SECOND) Long> extraGaps) {
        RateLimiter l = new RateLimiter(new RateLimit(rate, burst, strikes, Duration.ofSeconds(5)), 0);
        long period = (SECOND + rate - 1) / rate;
        long now = 0;
        for (long extra : extraGaps) {
            assertEquals(Decision.ADMIT, l.onRequest(now));
            now += period + extra;
        }
        assertEquals(0, l.rejectedRequests());
    }

    /**
     * Only persistent abuse disconnects: a client that sends a burst of at most burst + strikes requests at once,
     * then waits out the window before the next, is rejected at times but never disconnected.
     */
    @Property(tries = 300)
    void occasionalBurstsAreNeverDisconnected(
            @ForAll @IntRange(min = 1, max = 20) int rate,
            @ForAll @IntRange(min = 1, max = 20) int burst,
            @ForAll @IntRange(min = 1, max = 20) int strikes,
            @ForAll @IntRange(min = 1, max = 10) int windowSeconds,
            @ForAll @Size(max = 20) List<@IntRange(min = 0, max = 40) Integer> bursts) {
        RateLimit limit = new RateLimit(rate, burst, strikes, Duration.ofSeconds(windowSeconds));
        RateLimiter l = new RateLimiter(limit, 0);
        long quiet = Math.max(windowSeconds, (burst + rate - 1) / rate) * SECOND;
        long now = 0;
        for (int size : bursts) {
            int sent = Math.min(size, burst + strikes);
            for (int i = 0; i < sent; i++) {
                assertTrue(l.onRequest(now) != Decision.DISCONNECT);
            }
            now += quiet;
        }
        assertEquals(State.ACTIVE, l.state());
    }
}
