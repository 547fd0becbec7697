package io.securecomm.relay.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether a store is working: healthy when its last write went through, failing (with the exception that made
 * it so) when its last write failed. A durable store that fails because its disk is full or its file is locked
 * keeps trying and becomes healthy again by itself once writes work; {@link RelayStore#whenHealthy()} says
 * when.
 *
 * @param failure empty when healthy; otherwise the failure of the last write
 * @param since when the store entered this state, by the store's clock
 */
public record StoreHealth(Optional<StoreException> failure, Instant since) {
    /**
     * Creates the record.
     *
     * @param failure empty when healthy
     * @param since when the state began
     */
    public StoreHealth {
        Objects.requireNonNull(failure, "failure");
        Objects.requireNonNull(since, "since");
    }

    /**
     * A healthy state.
     *
     * @param since when it began
     * @return the state
     */
    public static StoreHealth healthy(Instant since) {
        return new StoreHealth(Optional.empty(), since);
    }

    /**
     * A failing state.
     *
     * @param failure the failure that made it so
     * @param since when it began
     * @return the state
     */
    public static StoreHealth failing(StoreException failure, Instant since) {
        return new StoreHealth(Optional.of(failure), since);
    }

    /**
     * Whether the store is healthy.
     *
     * @return {@code true} when the last write went through
     */
    public boolean healthy() {
        return failure.isEmpty();
    }
}
