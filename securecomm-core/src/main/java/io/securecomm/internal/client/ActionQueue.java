package io.securecomm.internal.client;

import io.securecomm.internal.client.ClientAction.Complete;
import io.securecomm.internal.client.ClientAction.Fail;
import io.securecomm.internal.client.ClientAction.Notify;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * What the client's session hands out through {@code poll()}, in the order it must happen: messages, the end of the
 * connection, listener calls, and the outcomes of the application's futures. A future is never completed by the
 * session itself: the adapter completes it when it polls the action, so the application sees outcomes in the
 * session's order.
 *
 * <p>Not thread-safe: confined to the client's thread.
 */
final class ActionQueue {
    private final ArrayDeque<ClientAction> actions = new ArrayDeque<>();

    /** Adds an action. */
    void add(ClientAction action) {
        actions.add(action);
    }

    /** Adds a call of the application's listener. */
    void tell(ClientEvent event) {
        actions.add(new Notify(event));
    }

    /** Adds the failure of an application's future. */
    void fail(CompletableFuture<?> result, Throwable cause) {
        actions.add(new Fail(result, cause));
    }

    /**
     * Hands the outcome of some work to the application's future, in the session's order: the work's failure
     * (unwrapped), or its value. Work that throws fails the future at once.
     */
    <T> void answer(CompletableFuture<T> result, Supplier<CompletableFuture<T>> work) {
        CompletableFuture<T> outcome;
        try {
            outcome = work.get();
        } catch (RuntimeException e) {
            fail(result, e);
            return;
        }
        outcome.whenComplete((v, e) -> {
            if (e != null) {
                fail(result, ClientErrors.unwrap(e));
            } else {
                actions.add(new Complete<>(result, v));
            }
        });
    }

    /** Whether nothing waits. */
    boolean isEmpty() {
        return actions.isEmpty();
    }

    /** The next action, or {@code null} if there is none. */
    ClientAction poll() {
        return actions.poll();
    }
}
