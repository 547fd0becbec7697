package io.securecomm.internal.relay;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The relay's deadlines that belong to no one connection (a cluster call's, which any connection's thread sets and
 * an answer from any thread clears), on the relay's {@link RelayState#clock()}: sans I/O, as a session's own
 * deadlines are. The adapter drives it as it drives a session: {@link #handleTimeout} whenever
 * {@link #pollTimeout()} says, and again when it is told the earliest deadline moved ({@link #onEarlier}). A test
 * moves its clock and calls {@link #handleTimeout} itself: nothing waits in real time.
 *
 * <p>Thread-safe and lock-free: a deadline may be set, cancelled and run out from any thread. The task of a deadline
 * runs on the thread that calls {@link #handleTimeout}, so it only hands its work on (completes a future whose
 * session takes the answer on its own thread).
 */
public final class RelayDeadlines {
    /** The deadlines, earliest first; the sequence number orders deadlines of the same instant as they were set. */
    private final ConcurrentSkipListMap<Key, Runnable> pending = new ConcurrentSkipListMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private volatile Runnable onEarlier = () -> { };

    /** A deadline that is set; cancelling it after it ran, or twice, does nothing. */
    public interface Deadline {
        /** Removes the deadline, if it has not run out yet: its task never runs. */
        void cancel();
    }

    private record Key(Instant at, long sequence) implements Comparable<Key> {
        @Override
        public int compareTo(Key other) {
            int byTime = at.compareTo(other.at);
            return byTime != 0 ? byTime : Long.compare(sequence, other.sequence);
        }
    }

    /**
     * Tells the adapter, from the thread that set it, whenever a deadline becomes the earliest, so that it sets its
     * timer to {@link #pollTimeout()} again (on its own thread: the hook should only hand that on).
     *
     * @param wake called after a deadline was set that is earlier than every other
     */
    public void onEarlier(Runnable wake) {
        this.onEarlier = Objects.requireNonNull(wake, "wake");
    }

    /**
     * Sets a deadline.
     *
     * @param at when the task runs: at the first {@link #handleTimeout} given this instant or a later one
     * @param task what then runs, on the thread of that call; it must not throw
     * @return the deadline, to cancel it
     */
    public Deadline schedule(Instant at, Runnable task) {
        Key key = new Key(Objects.requireNonNull(at, "at"), sequence.getAndIncrement());
        pending.put(key, Objects.requireNonNull(task, "task"));
        if (key.equals(firstKey())) {
            onEarlier.run();
        }
        return () -> pending.remove(key);
    }

    /**
     * When {@link #handleTimeout} is next due.
     *
     * @return the earliest deadline, or empty if none is set
     */
    public Optional<Instant> pollTimeout() {
        Key first = firstKey();
        return first == null ? Optional.empty() : Optional.of(first.at());
    }

    /**
     * Time has passed: runs the task of every deadline at or before {@code now}, earliest first.
     *
     * @param now the current time of {@link RelayState#clock()}
     */
    public void handleTimeout(Instant now) {
        for (var due = pending.firstEntry(); due != null && !due.getKey().at().isAfter(now);
                due = pending.firstEntry()) {
            // Only the thread that removes it runs it: a concurrent cancel or handleTimeout cannot run it twice.
            if (pending.remove(due.getKey(), due.getValue())) {
                due.getValue().run();
            }
        }
    }

    /**
     * How many deadlines are set; for tests.
     *
     * @return the deadlines that neither ran out nor were cancelled
     */
    int size() {
        return pending.size();
    }

    private Key firstKey() {
        var first = pending.firstEntry();
        return first == null ? null : first.getKey();
    }
}
