package io.securecomm.relay.cluster;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * A relay node as its {@link RelayCluster} sees it: what the cluster calls when something happens on another node.
 * The relay implements it and hands it to {@link RelayCluster#attach} when it starts.
 *
 * <p>Threads: every method may be called from the cluster's own threads; none blocks (each hands its work to the
 * connections' own threads and returns). Calls about one sender arrive in the order the other node made them
 * (see {@link RelayCluster} on ordering), and the node keeps that order towards each recipient.
 */
public interface ClusterNode {
    /**
     * A message from a client on another node for clients connected here. The node writes it to each recipient that
     * is still connected, in the order such calls arrive, and completes with each recipient's outcome once its write
     * has completed (or failed).
     *
     * @param message the message, for recipients on this node
     * @return one outcome per recipient, in the order of {@link RoutedMessage#recipientIds()}; it always completes
     */
    CompletionStage<List<RouteOutcome>> deliver(RoutedMessage message);

    /**
     * A client on another node came online or went; the node announces it to its own room members if it was (or is)
     * a member.
     *
     * @param change what changed
     */
    void presenceChanged(PresenceChange change);

    /**
     * A sender on another node stored a message for an account whose client is connected here: the node reads it
     * from the store and sends it, as it does for a message stored by one of its own clients.
     *
     * @param account the recipient's canonical nickname
     */
    void storedMessageArrived(String account);

    /**
     * The clients connected to this node now, for a cluster that must publish its presence again (after its backend
     * came back, or lost what it held).
     *
     * @return a snapshot, in no particular order
     */
    List<ClientPresence> localClients();
}
