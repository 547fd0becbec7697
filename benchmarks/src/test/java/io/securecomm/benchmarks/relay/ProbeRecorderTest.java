package io.securecomm.benchmarks.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The abuse mode's counting of probes: a phase counts only the probes sent in it. Before, the harness recorded each
 * probe in the phase current when it arrived, so a stall's late probes from one phase set the next phase's p99.
 */
class ProbeRecorderTest {
    private static final long START = 1_000_000_000_000L;

    private static long ms(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    @Test
    void aProbeSentBeforeThePhaseIsLeftOutAndCountedApart() {
        ProbeRecorder r = new ProbeRecorder(START, 5);
        // Sent 2 s before the phase, arrived 100 ms into it: late from the phase before.
        assertFalse(r.record(START - ms(2000), START + ms(100)));
        assertTrue(r.record(START + ms(10), START + ms(13)));
        assertEquals(1, r.count());
        assertEquals(1, r.sentBefore());
        long p99 = r.percentileMicros(99);
        assertTrue(p99 >= 2990 && p99 <= 3010, "only the probe sent in the phase: " + p99);
    }

    @Test
    void theSlowestAreKeptWithTheirSendTimesInTheOrderSent() {
        ProbeRecorder r = new ProbeRecorder(START, 2);
        r.record(START + ms(300), START + ms(350)); // 50 ms
        r.record(START + ms(100), START + ms(101)); // 1 ms
        r.record(START + ms(200), START + ms(280)); // 80 ms
        List<long[]> slowest = r.slowest();
        assertEquals(2, slowest.size());
        assertArrayEquals(new long[] {200_000, 80_000}, slowest.get(0));
        assertArrayEquals(new long[] {300_000, 50_000}, slowest.get(1));
        assertEquals(3, r.count());
        assertEquals(0, r.sentBefore());
    }

    @Test
    void aProbeSentAtThePhasesStartCounts() {
        ProbeRecorder r = new ProbeRecorder(START, 1);
        assertTrue(r.record(START, START + ms(1)));
        assertEquals(1, r.count());
    }
}
