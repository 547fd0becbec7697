package io.securecomm.internal.client;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs the end-to-end layer's steps for one peer one after the other: each starts once the previous one with the
 * same key (a peer's canonical nickname) is done, whether it succeeded or failed; steps for different peers do not
 * wait for each other. For a send, "done" means handed to the session's outbound queue (the step's future holds the
 * delivery's): the relay keeps one sender's messages in order at each recipient, so the next message may go as soon
 * as the previous one is queued. Sends are pipelined, not one round trip each, a session is set up once, and a slow
 * recipient cannot stall a sender (the relay drops it at its limit).
 *
 * <p>Not thread-safe: confined to the client's thread, where the futures also complete.
 */
final class PeerChains {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Map<String, CompletableFuture<?>> tails = new HashMap<>();

    /**
     * Runs a step after the previous one for the same key.
     *
     * @param key the peer's canonical nickname
     * @param step the step, started once the previous one completed
     * @return the step's outcome
     */
    <T> CompletableFuture<T> serially(String key, Supplier<CompletableFuture<T>> step) {
        CompletableFuture<?> previous = tails.getOrDefault(key, DONE);
        CompletableFuture<T> next = previous.handle((v, e) -> null).thenCompose(v -> step.get());
        tails.put(key, next);
        next.whenComplete((v, e) -> tails.remove(key, next));
        return next;
    }

    /** How many peers have a step waiting or running (for tests). */
    int busy() {
        return tails.size();
    }
}
