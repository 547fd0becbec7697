package io.securecomm.internal.netty;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one timer of a sans-I/O session: armed at the session's {@code pollTimeout()} after every input, it wakes the
 * adapter with the clock's time when that deadline may have come. The deadline is an instant of the session's
 * {@link Clock}; since an adapter cannot see an injected clock move (a test's), the timer wakes at the latest after
 * {@code maxDelay}, and the adapter checks the deadline against the time it is given.
 *
 * <p>Confined to its executor's thread.
 */
final class DeadlineTimer {
    private final EventExecutor executor;
    private final Clock clock;
    private final Duration maxDelay;
    private final Consumer<Instant> due;
    private ScheduledFuture<?> timer;
    private Instant deadline;

    /**
     * Creates a timer that is not armed.
     *
     * @param executor runs the timer, on the session's thread
     * @param clock the session's clock
     * @param maxDelay the longest the timer waits before it reads the clock again
     * @param due called with the clock's time at the deadline, or after {@code maxDelay} if that is sooner
     */
    DeadlineTimer(EventExecutor executor, Clock clock, Duration maxDelay, Consumer<Instant> due) {
        this.executor = executor;
        this.clock = clock;
        this.maxDelay = maxDelay;
        this.due = due;
    }

    /**
     * Sets the timer to the session's next deadline, or cancels it.
     *
     * @param next the deadline, or empty for none
     */
    void arm(Optional<Instant> next) {
        Instant at = next.orElse(null);
        if (at != null && at.equals(deadline) && timer != null) {
            return;
        }
        cancel();
        if (at != null) {
            deadline = at;
            long delayNanos = Math.min(Math.max(0, Duration.between(clock.instant(), at).toNanos()),
                    maxDelay.toNanos());
            timer = executor.schedule(this::fire, delayNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Cancels the timer. */
    void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        deadline = null;
    }

    private void fire() {
        timer = null;
        deadline = null;
        due.accept(clock.instant());
    }
}
