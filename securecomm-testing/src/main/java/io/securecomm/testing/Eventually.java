package io.securecomm.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits, in the cluster tests, for a state that a backend (a real {@code redis-server}) and the nodes' own threads
 * reach in their own time (a heartbeat, an expiry, a reconnection): there is no event to wait on from outside, so the
 * condition is polled, bounded by {@link #WAIT}.
 */
public final class Eventually {
    /** The longest any condition is waited for. */
    public static final Duration WAIT = Duration.ofSeconds(20);

    private Eventually() {}

    /**
     * Returns once {@code condition} holds; fails the test if it does not within {@link #WAIT}.
     *
     * @param what the condition, for the failure message
     * @param condition polled every 20 ms
     * @throws InterruptedException if interrupted while waiting
     */
    public static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within " + WAIT + ": " + what);
            Thread.sleep(20);
        }
    }
}
