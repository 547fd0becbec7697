package io.securecomm.internal.relay;

import io.securecomm.internal.relay.ClientRegistry.Member;
import io.securecomm.relay.cluster.ClientPresence;
import io.securecomm.relay.cluster.ClusterNode;
import io.securecomm.relay.cluster.PresenceChange;
import io.securecomm.relay.cluster.RouteOutcome;
import io.securecomm.relay.cluster.RoutedMessage;
import io.securecomm.wire.ClientInfo;
import io.securecomm.wire.Joined;
import io.securecomm.wire.Left;
import io.securecomm.wire.MalformedMessageException;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageCodec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * This relay as a node of its cluster ({@link ClusterNode}): what happens on other nodes, handed to the sessions of
 * this node's clients on their own threads. A message routed here goes to its recipients' sessions, which decide
 * whether to write it ({@link RelaySession#handleRouted}); a client elsewhere that joins or leaves the room is
 * announced to this node's members ({@link RelaySession#handleRemotePresence}); a message stored for a client here
 * makes its session read the store.
 *
 * <p>Sans-I/O, thread-safe: every call only looks up sessions in the registry (a concurrent map) and hands each a task
 * through its executor. Tasks for one recipient run in the order they were handed over, so the order in which the
 * cluster calls {@link #deliver} is the order in which the recipient gets the messages.
 *
 * @param <C> the adapter's handle of a connection
 */
public final class ClusterInbound<C> implements ClusterNode {
    private final RelayState<C> relay;

    /**
     * Creates the node of a relay.
     *
     * @param relay the relay's shared state
     */
    public ClusterInbound(RelayState<C> relay) {
        this.relay = relay;
    }

    @Override
    public CompletionStage<List<RouteOutcome>> deliver(RoutedMessage routed) {
        int[] ids = routed.recipientIds();
        Message message;
        try {
            message = MessageCodec.decode(routed.encoded());
        } catch (MalformedMessageException e) {
            // Another node of this relay sent what no client could read: refused, not written.
            return CompletableFuture.completedFuture(Collections.nCopies(ids.length, RouteOutcome.NOT_DELIVERED));
        }
        List<CompletableFuture<RouteOutcome>> outcomes = new ArrayList<>(ids.length);
        for (int id : ids) {
            CompletableFuture<RouteOutcome> outcome = new CompletableFuture<>();
            outcomes.add(outcome);
            RelaySession<C> session = relay.registry().byId(id).map(Member::session).orElse(null);
            if (session == null) {
                outcome.complete(RouteOutcome.RECIPIENT_GONE);
            } else {
                session.execute(() -> session.handleRouted(message, routed, outcome::complete));
            }
        }
        return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new))
                .thenApply(done -> outcomes.stream().map(CompletableFuture::join).toList());
    }

    @Override
    public void presenceChanged(PresenceChange change) {
        ClientPresence client = change.client();
        if (!client.inRoom() || relay.isShuttingDown()) {
            return; // only the room hears of presence; during a shutdown everyone gets a goodbye instead
        }
        Message notice = change instanceof PresenceChange.Offline offline
                ? new Left(client.clientId(), client.nickname(), offline.reason())
                : new Joined(new ClientInfo(client.clientId(), client.nickname(), client.identityKey()));
        for (Member<RelaySession<C>> member : relay.room().members()) {
            RelaySession<C> session = member.session();
            session.execute(() -> session.handleRemotePresence(notice));
        }
    }

    @Override
    public void storedMessageArrived(String account) {
        relay.registry().byNickname(account).ifPresent(m -> m.session().storedInbox().arrived());
    }

    @Override
    public List<ClientPresence> localClients() {
        List<ClientPresence> clients = new ArrayList<>();
        String node = relay.cluster().nodeId();
        for (Member<RelaySession<C>> m : relay.registry().members()) {
            clients.add(new ClientPresence(m.clientId(), m.nickname(), m.identityKey(), node,
                    relay.room().contains(m.clientId())));
        }
        return clients;
    }
}
