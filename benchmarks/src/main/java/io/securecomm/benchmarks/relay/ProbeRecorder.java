package io.securecomm.benchmarks.relay;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The probes of one phase of the abuse mode ({@link AbuseHarness}): the latency of each honest message sent in the
 * phase, and its slowest probes with when each was sent. A probe sent before the phase started (one of an earlier
 * phase or warm-up, late) is counted apart and left out of the phase's figures: the harness swaps recorders at each
 * phase's start, and such a probe used to land in whichever recorder was current when it arrived, so that one
 * phase's late probes (a stall's backlog) inflated the next phase's latencies.
 *
 * <p>Thread-safe: the clients' event threads record while the harness reads.
 */
final class ProbeRecorder {
    private final long startNanos;
    private final int slowestShown;
    private final Histogram latencies = new Histogram(TimeUnit.MINUTES.toMicros(10), 3);
    /** The slowest probes: {send time in the phase, latency}, both in microseconds; guarded by {@code this}. */
    private final PriorityQueue<long[]> slowest = new PriorityQueue<>(Comparator.comparingLong(p -> p[1]));
    private long sentBefore;

    /**
     * A recorder for a phase that starts at {@code startNanos}.
     *
     * @param startNanos the phase's start, on {@link System#nanoTime()}'s scale
     * @param slowestShown how many of the slowest probes to keep
     */
    ProbeRecorder(long startNanos, int slowestShown) {
        this.startNanos = startNanos;
        this.slowestShown = slowestShown;
    }

    /**
     * Records one probe, if it was sent in this phase.
     *
     * @param sentNanos when it was sent ({@link System#nanoTime()})
     * @param receivedNanos when it arrived
     * @return {@code true} if it counts in this phase; {@code false} if it was sent before the phase started
     */
    synchronized boolean record(long sentNanos, long receivedNanos) {
        if (sentNanos - startNanos < 0) {
            sentBefore++;
            return false;
        }
        long micros = TimeUnit.NANOSECONDS.toMicros(receivedNanos - sentNanos);
        latencies.recordValue(Math.max(0, Math.min(micros, latencies.getHighestTrackableValue())));
        slowest.add(new long[] {TimeUnit.NANOSECONDS.toMicros(sentNanos - startNanos), micros});
        if (slowest.size() > slowestShown) {
            slowest.poll();
        }
        return true;
    }

    /**
     * The phase's probes so far.
     *
     * @return how many were recorded
     */
    synchronized long count() {
        return latencies.getTotalCount();
    }

    /**
     * A percentile of the latencies recorded.
     *
     * @param percentile from 0 to 100
     * @return the latency, in microseconds (0 if none was recorded)
     */
    synchronized long percentileMicros(double percentile) {
        return latencies.getValueAtPercentile(percentile);
    }

    /**
     * How many probes that were sent before the phase started arrived in it (and were left out).
     *
     * @return their count
     */
    synchronized long sentBefore() {
        return sentBefore;
    }

    /**
     * The slowest probes recorded, in the order they were sent.
     *
     * @return pairs {send time in the phase, latency}, in microseconds
     */
    synchronized List<long[]> slowest() {
        List<long[]> worst = new ArrayList<>();
        for (long[] p : slowest) {
            worst.add(p.clone());
        }
        worst.sort(Comparator.comparingLong(p -> p[0]));
        return worst;
    }
}
