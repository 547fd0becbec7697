package io.securecomm.internal.relay;

import java.util.Objects;

/**
 * A client on another node of the relay's cluster, as the fair queue of a recipient on this node counts its senders
 * (docs/CLUSTER.md): each such client is one sender there, with one share, beside this node's senders (which are
 * counted by their remote address). Its address stays on its own node, so several clients of one address on another
 * node are several senders here.
 *
 * @param node the id of the node the sender is connected to
 * @param clientId the sender's client id, unique across the cluster
 */
public record RemoteSender(String node, int clientId) {
    /**
     * Checks the components.
     *
     * @param node the sender's node
     * @param clientId the sender's client id
     */
    public RemoteSender {
        Objects.requireNonNull(node, "node");
    }
}
