package io.securecomm.internal.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.internal.limits.RequestThrottle.Overflow;
import io.securecomm.relay.RateLimit;
import io.securecomm.relay.WorkLimit;
import java.time.Duration;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RequestThrottleTest {
    private static final long SECOND = 1_000_000_000L;
    private static final WorkLimit NO_WORK_LIMIT = WorkLimit.unlimitedForTesting();

    private static RequestThrottle throttle(RateLimit rate, WorkLimit work) {
        return new RequestThrottle(rate, work, RequestThrottle.addressBucket(work, 0), 0);
    }

    /** Admits now, or after exactly the wait it announces: the wait is never too short, nor one nanosecond long. */
    private static long admitAtTheAnnouncedTime(RequestThrottle t, Cost cost, long now) {
        long wait = t.admit(cost, now);
        if (wait == 0) {
            return now;
        }
        assertTrue(wait > 0);
        assertTrue(t.admit(cost, now + wait - 1) > 0, "admitted before the announced time");
        assertEquals(0, t.admit(cost, now + wait), "not admitted at the announced time");
        return now + wait;
    }

    @Test
    void aBacklogReadInOneGoIsDelayedNeverRefused() {
        // The overloaded relay of issue 22: a default client's 100 paced requests read at once. The old limiter
        // refused 60 of them as RATE_LIMITED; the throttle serves them all, at the rate.
        RequestThrottle t = throttle(RateLimit.defaults(), WorkLimit.defaults());
        long now = 0;
        for (int i = 0; i < 100; i++) {
            now = admitAtTheAnnouncedTime(t, Cost.request(CostModelCosts.ENVELOPE), now);
        }
        assertEquals(0, t.rejectedRequests());
        assertFalse(t.isDisconnected());
        assertEquals(3 * SECOND, now, "40 at once, then 20 per second");
    }

    @Test
    void expensiveWorkIsPacedByItsCostNotByItsCount() {
        WorkLimit work = new WorkLimit(10_000, 10_000, WorkLimit.MAX_VALUE, WorkLimit.MAX_VALUE, 1_000_000,
                1_000_000);
        RequestThrottle t = throttle(RateLimit.defaults(), work);
        long now = 0;
        for (int i = 0; i < 30; i++) {
            now = admitAtTheAnnouncedTime(t, Cost.request(1_000), now);
        }
        // 10 at once (the burst's 10 ms), then 10 per second: 20 more in 2 s; far under the 20 requests a second.
        assertEquals(2 * SECOND, now);
    }

    @Test
    void uploadsHaveTheirOwnAllowance() {
        RequestThrottle t = throttle(RateLimit.defaults(), new WorkLimit(WorkLimit.MAX_VALUE, WorkLimit.MAX_VALUE,
                WorkLimit.MAX_VALUE, WorkLimit.MAX_VALUE, 6, 2));
        Cost upload = new Cost(10, true, true);
        assertEquals(0, t.admit(upload, 0));
        assertEquals(0, t.admit(upload, 0));
        assertEquals(10 * SECOND, t.admit(upload, 0), "6 a minute: the third waits 10 s");
        assertEquals(0, t.admit(Cost.request(10), 0), "other requests do not wait for it");
        assertEquals(0, t.admit(upload, 10 * SECOND));
    }

    @Test
    void theConnectionsOfOneAddressShareItsBucket() {
        WorkLimit work = new WorkLimit(WorkLimit.MAX_VALUE, WorkLimit.MAX_VALUE, 1_000, 1_000, 6, 5);
        SharedWorkBucket address = RequestThrottle.addressBucket(work, 0);
        RequestThrottle a = new RequestThrottle(RateLimit.defaults(), work, address, 0);
        RequestThrottle b = new RequestThrottle(RateLimit.defaults(), work, address, 0);
        assertEquals(0, a.admit(Cost.request(600), 0));
        assertTrue(b.admit(Cost.request(600), 0) > 0, "a took most of the address's allowance");
        RequestThrottle other = new RequestThrottle(RateLimit.defaults(), work,
                RequestThrottle.addressBucket(work, 0), 0);
        assertEquals(0, other.admit(Cost.request(600), 0), "another address is not touched");
    }

    @Test
    void theHelloAndTheGoodbyeAreNeverHeld() {
        RequestThrottle t = throttle(new RateLimit(1, 1, 1, Duration.ofSeconds(1)), NO_WORK_LIMIT);
        assertEquals(0, t.admit(Cost.request(1), 0));
        assertTrue(t.admit(Cost.request(1), 0) > 0);
        assertEquals(0, t.admit(Cost.FREE, 0));
    }

    @Test
    void overflowCostsStrikesThenDisconnectsForGood() {
        RequestThrottle t = throttle(new RateLimit(1, 3, 2, Duration.ofSeconds(10)), NO_WORK_LIMIT);
        assertEquals(Overflow.REJECT, t.onOverflow(0));
        assertEquals(Overflow.REJECT, t.onOverflow(0));
        assertEquals(Overflow.DISCONNECT, t.onOverflow(0));
        assertTrue(t.isDisconnected());
        assertEquals(Overflow.DISCONNECT, t.onOverflow(100 * SECOND), "disconnection is final");
        assertEquals(4, t.rejectedRequests());
    }

    @Test
    void strikeRefillRoundsUpToOnePerSecond() {
        assertEquals(10, RequestThrottle.strikeRefillPerSecond(RateLimit.defaults()));
        assertEquals(1, RequestThrottle.strikeRefillPerSecond(new RateLimit(1, 1, 1, Duration.ofHours(1))));
        assertEquals(3, RequestThrottle.strikeRefillPerSecond(new RateLimit(1, 1, 5, Duration.ofSeconds(2))));
    }

    /** Whatever a client sends and whenever, no more than burst + rate * elapsed requests are served. */
    @Property(tries = 300)
    void neverAdmitsMoreRequestsThanTheRateAllows(
            @ForAll @IntRange(min = 1, max = 50) int rate,
            @ForAll @IntRange(min = 1, max = 50) int burst,
            @ForAll @Size(max = 400) List<@LongRange(min = 0, max = 200_000_000) Long> gaps) {
        RequestThrottle t = throttle(new RateLimit(rate, burst, 1, Duration.ofSeconds(1)), NO_WORK_LIMIT);
        long now = 0;
        long admitted = 0;
        for (long gap : gaps) {
            now += gap;
            if (t.admit(Cost.request(1), now) == 0) {
                admitted++;
            }
            assertTrue(admitted * SECOND <= burst * SECOND + rate * now);
        }
    }

    /** Whatever costs a client's messages have, the work served stays within burst + rate * elapsed + one message. */
    @Property(tries = 300)
    void neverAdmitsMoreWorkThanTheBudgetAllows(
            @ForAll @LongRange(min = 1, max = 100_000) long perSecond,
            @ForAll @LongRange(min = 1, max = 100_000) long burst,
            @ForAll @Size(max = 300) List<@LongRange(min = 0, max = 50_000) Long> costs,
            @ForAll @Size(max = 300) List<@LongRange(min = 0, max = 100_000_000) Long> gaps) {
        WorkLimit work = new WorkLimit(perSecond, burst, WorkLimit.MAX_VALUE, WorkLimit.MAX_VALUE, 1, 1);
        RequestThrottle t = throttle(new RateLimit(RateLimit.MAX_MESSAGES, RateLimit.MAX_MESSAGES, 1,
                Duration.ofSeconds(1)), work);
        long now = 0;
        long admitted = 0;
        long dearest = 0;
        for (int i = 0; i < costs.size(); i++) {
            now += i < gaps.size() ? gaps.get(i) : 0;
            long cost = costs.get(i);
            if (t.admit(Cost.request(cost), now) == 0) {
                admitted += cost;
                dearest = Math.max(dearest, cost);
            }
            assertTrue(admitted * SECOND <= (burst + dearest) * SECOND + perSecond * now,
                    admitted + " units by " + now + " ns");
        }
    }

    /** A client that keeps within the rate and the budget is never held, let alone refused. */
    @Property(tries = 300)
    void aClientWithinItsAllowancesIsNeverHeld(
            @ForAll @IntRange(min = 1, max = 100) int rate,
            @ForAll @IntRange(min = 1, max = 50) int burst,
            @ForAll @Size(max = 300) List<@LongRange(min = 0, max = SECOND) Long> extraGaps) {
        RequestThrottle t = throttle(new RateLimit(rate, burst, 1, Duration.ofSeconds(5)), WorkLimit.defaults());
        long period = (SECOND + rate - 1) / rate;
        long now = 0;
        for (long extra : extraGaps) {
            assertEquals(0, t.admit(Cost.request(CostModelCosts.ENVELOPE), now));
            now += period + extra;
        }
        assertEquals(0, t.rejectedRequests());
    }

    /** Typical costs, as the relay's cost model gives them (in microseconds). */
    private static final class CostModelCosts {
        /** A 1 KiB envelope to one recipient. */
        static final long ENVELOPE = 20;
    }
}
