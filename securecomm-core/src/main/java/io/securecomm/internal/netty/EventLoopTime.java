package io.securecomm.internal.netty;

import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.EventExecutor;

/**
 * The monotonic time of an event loop: its {@link io.netty.util.concurrent.Ticker}, the same clock its scheduled
 * tasks run on. Handlers read time here rather than from {@link System#nanoTime()} so that a test can drive
 * them with an {@code EmbeddedChannel} and a mock ticker, never sleeping.
 */
final class EventLoopTime {
    private EventLoopTime() {}

    static long nanoTime(EventExecutor executor) {
        return executor instanceof AbstractScheduledEventExecutor scheduled
                ? scheduled.ticker().nanoTime()
                : System.nanoTime();
    }
}
