/**
 * The relay cluster's service provider interface: what several relay nodes behind one name share, beyond the store
 * ({@link io.securecomm.relay.store}): who is online on which node (presence, with its expiry), the public room's
 * membership across nodes, and the live routing of envelopes between nodes (docs/CLUSTER.md).
 *
 * <p>A relay goes through a {@link io.securecomm.relay.cluster.RelayCluster} for everything that concerns clients
 * connected to <em>other</em> nodes; its own clients stay in its own memory, so that a message between two clients
 * of one node never touches the cluster. {@link io.securecomm.relay.cluster.RelayCluster#standalone()}, the default,
 * is a cluster of one node: it hands out client ids and knows no other node, and a relay on it behaves exactly as a
 * relay without a cluster. A backend (Redis, in the {@code securecomm-cluster-redis} module) implements the same
 * interface across processes.
 */
package io.securecomm.relay.cluster;
