package io.securecomm.relay.store;

import java.time.Duration;

/**
 * Receives a durable store's operational numbers, for an operator's metrics: how long its commits take and
 * which writes fail. {@code SqliteStoreOptions.Builder.meter} sets one; {@code securecomm-metrics-prometheus}
 * implements it. Like the relay's meter, it is never told whose data was written. Every method has an empty
 * default.
 *
 * <p>Threads: called on the store's writer thread, after each transaction; must be cheap, must not block, and
 * should not throw (an exception is ignored).
 */
public interface StoreMeter {
    /** A meter that ignores everything. */
    StoreMeter NONE = new StoreMeter() {};

    /**
     * A transaction committed.
     *
     * @param operations how many operations it carried (a group commit carries many)
     * @param duration from its start to the end of its commit, the {@code fsync} included
     */
    default void committed(int operations, Duration duration) {}

    /**
     * A transaction failed and was rolled back: its operations failed with {@link StoreException}.
     *
     * @param reason why
     */
    default void writeFailed(StoreException.Reason reason) {}
}
