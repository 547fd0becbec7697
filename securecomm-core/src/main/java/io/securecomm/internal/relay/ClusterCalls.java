package io.securecomm.internal.relay;

import io.securecomm.relay.cluster.ClientPresence;
import io.securecomm.relay.cluster.JoinResult;
import io.securecomm.relay.cluster.RouteOutcome;
import io.securecomm.relay.cluster.RoutedMessage;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * The relay's calls to its cluster's asynchronous operations, each with a deadline the relay keeps itself, whatever
 * the implementation does: a stage that fails, throws, answers nonsense or never completes becomes a clear answer
 * ("the cluster cannot be reached", {@link RouteOutcome#NOT_DELIVERED}) by {@link
 * io.securecomm.relay.cluster.RelayCluster#routeTimeout()} at the latest, on the relay's clock ({@link
 * RelayState#deadlines()}, which the adapter drives). The sessions then take the answer on their own thread.
 */
final class ClusterCalls {
    /** The shortest wait for an answer, whatever the cluster's route timeout says. */
    private static final Duration MIN_WAIT = Duration.ofMillis(1);

    private ClusterCalls() {}

    /**
     * An operation's result, or why the cluster gave none.
     *
     * @param result the result, or {@code null} if it failed
     * @param failure one line on the failure, or {@code null}
     * @param <T> the result's type
     */
    record Answer<T>(T result, String failure) {}

    /** Puts a client online across the cluster. */
    static CompletableFuture<Answer<JoinResult>> join(RelayState<?> relay, ClientPresence client) {
        return call(relay, () -> relay.cluster().join(client, relay.options().maxRoomMembers()))
                .thenApply(a -> a.result() == null && a.failure() == null
                        ? new Answer<>(null, "the cluster answered nothing") : a);
    }

    /**
     * Routes a message to another node: one outcome per recipient, {@link RouteOutcome#NOT_DELIVERED} for each if
     * the cluster failed, answered the wrong number of outcomes, or did not answer in time.
     */
    static CompletableFuture<List<RouteOutcome>> route(RelayState<?> relay, String nodeId, RoutedMessage message) {
        int recipients = message.recipientIds().length;
        return call(relay, () -> relay.cluster().route(nodeId, message)).thenApply(a -> {
            List<RouteOutcome> outcomes = a.result();
            return outcomes == null || outcomes.size() != recipients || hasNull(outcomes)
                    ? Collections.nCopies(recipients, RouteOutcome.NOT_DELIVERED) : List.copyOf(outcomes);
        });
    }

    /** Whether a list has a null, for any list (an immutable one throws on {@code contains(null)}). */
    private static boolean hasNull(List<RouteOutcome> outcomes) {
        for (RouteOutcome o : outcomes) {
            if (o == null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Calls the cluster, and keeps the call's deadline on the relay's {@link RelayDeadlines}: whichever comes first,
     * the cluster's answer or the deadline, is the answer.
     */
    private static <T> CompletableFuture<Answer<T>> call(RelayState<?> relay, Supplier<CompletionStage<T>> op) {
        CompletableFuture<Answer<T>> answer = new CompletableFuture<>();
        try {
            op.get().whenComplete((result, error) -> answer.complete(error != null
                    ? new Answer<>(null, describe(error)) : new Answer<>(result, null)));
        } catch (RuntimeException e) {
            answer.complete(new Answer<>(null, describe(e)));
        }
        if (answer.isDone()) {
            return answer; // answered at once (a relay of its own): no deadline to keep
        }
        Duration timeout = relay.cluster().routeTimeout();
        Duration wait = timeout.compareTo(MIN_WAIT) < 0 ? MIN_WAIT : timeout;
        Answer<T> late = new Answer<>(null, "no answer within " + timeout.toMillis() + " ms");
        RelayDeadlines.Deadline deadline = relay.deadlines().schedule(relay.clock().instant().plus(wait),
                () -> answer.complete(late));
        answer.whenComplete((a, e) -> deadline.cancel());
        return answer;
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
