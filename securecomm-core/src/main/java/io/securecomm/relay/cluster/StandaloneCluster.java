package io.securecomm.relay.cluster;

import io.securecomm.wire.LeaveReason;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cluster of one node ({@link RelayCluster#standalone()}): client ids from 1, never reused while it runs, and no
 * other node. Every join succeeds with the room place the node gave (the node's own room is the whole room), and no
 * message is ever routed.
 */
final class StandaloneCluster implements RelayCluster {
    private final AtomicInteger nextClientId = new AtomicInteger(1);
    private volatile ClusterNode node;

    @Override
    public String nodeId() {
        return "standalone";
    }

    @Override
    public void attach(ClusterNode node) {
        Objects.requireNonNull(node, "node");
        synchronized (this) {
            if (this.node != null) {
                throw new IllegalStateException("a relay is already attached to this cluster");
            }
            this.node = node;
        }
    }

    @Override
    public int nextClientId() {
        return nextClientId.getAndIncrement();
    }

    @Override
    public CompletionStage<JoinResult> join(ClientPresence client, int roomLimit) {
        return CompletableFuture.completedFuture(new JoinResult.Joined(client.inRoom()));
    }

    @Override
    public void leave(ClientPresence client, LeaveReason reason) {
        // no other node to tell
    }

    @Override
    public Optional<ClientPresence> findById(int clientId) {
        return Optional.empty();
    }

    @Override
    public Optional<ClientPresence> findByNickname(String canonicalNickname) {
        return Optional.empty();
    }

    @Override
    public List<ClientPresence> page(String afterCanonical, int maxEntries) {
        return List.of();
    }

    @Override
    public int onlineElsewhere() {
        return 0;
    }

    @Override
    public List<ClientPresence> roomMembersElsewhere() {
        return List.of();
    }

    @Override
    public CompletionStage<List<RouteOutcome>> route(String nodeId, RoutedMessage message) {
        // No client is ever found elsewhere, so nothing is routed; answer honestly if something is.
        return CompletableFuture.completedFuture(
                Collections.nCopies(message.recipientIds().length, RouteOutcome.RECIPIENT_GONE));
    }

    @Override
    public void notifyStored(String nodeId, String account) {
        // no other node
    }

    @Override
    public ClusterHealth health() {
        return ClusterHealth.OK;
    }

    @Override
    public Duration presenceExpiry() {
        return Duration.ZERO;
    }

    @Override
    public Duration routeTimeout() {
        return Duration.ofSeconds(5);
    }

    @Override
    public void close() {
        // nothing held
    }

    @Override
    public String toString() {
        return "StandaloneCluster";
    }
}
