package io.securecomm.internal.netty;

import io.netty.util.concurrent.EventExecutor;
import io.securecomm.internal.relay.RelayDeadlines;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

/**
 * Drives the relay's {@link RelayDeadlines} (every cluster call's deadline) with one {@link DeadlineTimer} on one
 * event loop, as {@link RelayHandler} drives a session's: armed at {@link RelayDeadlines#pollTimeout()}, re-armed
 * after each {@link RelayDeadlines#handleTimeout} and whenever another thread sets an earlier deadline.
 *
 * <p>Confined to its event loop, but for {@link #start()}, which any thread may call once.
 */
final class RelayDeadlinesTimer {
    /**
     * The longest the timer waits before it reads the clock again. The relay's clock is the system's, so the timer
     * wakes at the deadline; this only bounds the wait.
     */
    private static final Duration MAX_TIMER_DELAY = Duration.ofHours(1);

    private final RelayDeadlines deadlines;
    private final EventExecutor loop;
    private final DeadlineTimer timer;

    /**
     * Creates a timer that is not started.
     *
     * @param deadlines the relay's deadlines
     * @param clock the relay's clock
     * @param loop the event loop that runs the timer, and on which the deadlines run out
     */
    RelayDeadlinesTimer(RelayDeadlines deadlines, Clock clock, EventExecutor loop) {
        this.deadlines = deadlines;
        this.loop = loop;
        this.timer = new DeadlineTimer(loop, clock, MAX_TIMER_DELAY, now -> {
            deadlines.handleTimeout(now);
            arm();
        });
    }

    /** Starts listening for earlier deadlines, and arms the timer at the earliest one set so far. */
    void start() {
        deadlines.onEarlier(this::wake);
        wake();
    }

    private void wake() {
        try {
            loop.execute(this::arm);
        } catch (RejectedExecutionException stopped) {
            // The relay is stopping: its connections close, and their clients treat what is unanswered as not
            // delivered.
        }
    }

    private void arm() {
        timer.arm(deadlines.pollTimeout());
    }
}
