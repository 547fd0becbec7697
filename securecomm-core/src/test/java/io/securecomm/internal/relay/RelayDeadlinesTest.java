package io.securecomm.internal.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The relay's deadlines that belong to no one connection: each runs out once, earliest first, at the time it is
 * given and not before; a cancelled one never runs; the adapter is woken only when the earliest moves.
 */
class RelayDeadlinesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final RelayDeadlines deadlines = new RelayDeadlines();
    private final List<String> ran = new ArrayList<>();

    @Test
    void deadlinesRunOutEarliestFirstAtTheirTimeAndOnlyOnce() {
        deadlines.schedule(T0.plusMillis(20), () -> ran.add("b"));
        deadlines.schedule(T0.plusMillis(10), () -> ran.add("a"));
        deadlines.schedule(T0.plusMillis(20), () -> ran.add("c"));
        assertEquals(Optional.of(T0.plusMillis(10)), deadlines.pollTimeout());
        deadlines.handleTimeout(T0.plusMillis(9));
        assertEquals(List.of(), ran, "not before its time");
        deadlines.handleTimeout(T0.plusMillis(10));
        assertEquals(List.of("a"), ran);
        assertEquals(Optional.of(T0.plusMillis(20)), deadlines.pollTimeout());
        deadlines.handleTimeout(T0.plusMillis(30));
        assertEquals(List.of("a", "b", "c"), ran, "the same instant in the order set");
        deadlines.handleTimeout(T0.plusMillis(40));
        assertEquals(3, ran.size(), "each once");
        assertEquals(Optional.empty(), deadlines.pollTimeout());
    }

    @Test
    void aCancelledDeadlineNeverRunsAndLeavesNothingBehind() {
        RelayDeadlines.Deadline first = deadlines.schedule(T0.plusMillis(10), () -> ran.add("cancelled"));
        deadlines.schedule(T0.plusMillis(20), () -> ran.add("kept"));
        first.cancel();
        assertEquals(Optional.of(T0.plusMillis(20)), deadlines.pollTimeout());
        deadlines.handleTimeout(T0.plusMillis(20));
        assertEquals(List.of("kept"), ran);
        first.cancel();
        assertEquals(0, deadlines.size());
    }

    @Test
    void theAdapterIsWokenOnlyWhenTheEarliestDeadlineMoves() {
        AtomicInteger woken = new AtomicInteger();
        deadlines.onEarlier(woken::incrementAndGet);
        deadlines.schedule(T0.plusMillis(20), () -> { });
        assertEquals(1, woken.get(), "the first deadline");
        deadlines.schedule(T0.plusMillis(30), () -> { });
        assertEquals(1, woken.get(), "a later one: the timer is already set earlier");
        deadlines.schedule(T0.plusMillis(10), () -> { });
        assertEquals(2, woken.get(), "an earlier one");
    }

    @Test
    void aDeadlineSetWhileOthersRunOutRunsInTheSameCallIfDue() {
        deadlines.schedule(T0.plusMillis(10), () -> {
            ran.add("first");
            deadlines.schedule(T0.plusMillis(10), () -> ran.add("set by the first"));
        });
        deadlines.handleTimeout(T0.plusMillis(10));
        assertEquals(List.of("first", "set by the first"), ran);
        assertTrue(deadlines.pollTimeout().isEmpty());
    }
}
