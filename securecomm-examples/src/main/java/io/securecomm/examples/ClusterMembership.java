package io.securecomm.examples;

import io.securecomm.cluster.redis.RedisClusterOptions;
import io.securecomm.cluster.redis.RedisRelayCluster;
import io.securecomm.cluster.redis.RedisRelayStore;
import io.securecomm.cluster.redis.RedisStoreOptions;
import io.securecomm.relay.cluster.ClusterUnavailableException;
import io.securecomm.relay.store.StoreException;
import io.securecomm.relay.store.StoreMeter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Locale;

/**
 * The {@code server} command's {@code --cluster URI}: this relay as one node of a cluster on Redis, with the cluster's
 * membership ({@link RedisRelayCluster}) and its shared store ({@link RedisRelayStore}) on the same Redis. Every node
 * must load the same {@code relay.key}: the first node records its public key in Redis and a node with another key
 * refuses to start.
 *
 * @param cluster the node's membership
 * @param store the shared store
 */
record ClusterMembership(RedisRelayCluster cluster, RedisRelayStore store) {
    /**
     * The options {@code --cluster URI [--node-id ID] [--presence-expiry D] [--route-timeout D]} ask for.
     *
     * @param presenceExpiry the presence expiry, or null for the default
     * @param routeTimeout the route timeout, or null for the default
     * @throws CliFailure with {@link ExitCodes#USAGE} if the URI or the node id is malformed, or the durations are
     *     out of range
     */
    static RedisClusterOptions options(String uri, String nodeId, Duration presenceExpiry, Duration routeTimeout) {
        RedisClusterOptions.Builder b;
        try {
            b = RedisClusterOptions.builder(uri).nodeId(nodeId == null ? defaultNodeId() : nodeId);
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.USAGE, (nodeId != null && e.getMessage().contains("node id") ? "--node-id: "
                    : "--cluster: ") + e.getMessage(), null);
        }
        try {
            if (presenceExpiry != null) {
                b.presenceExpiry(presenceExpiry);
            }
            if (routeTimeout != null) {
                b.routeTimeout(routeTimeout);
            }
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CliFailure(ExitCodes.USAGE, "--presence-expiry, --route-timeout: " + e.getMessage(), null);
        }
    }

    /**
     * Joins the cluster and opens its store.
     *
     * @param options the cluster's options
     * @param identityPublicKey the relay key this node loaded, checked against the cluster's
     * @param meter where the store reports its commit times and failures
     * @throws CliFailure with {@link ExitCodes#STORE_UNUSABLE} if Redis cannot be reached, or the cluster has
     *     another relay key
     */
    static ClusterMembership open(RedisClusterOptions options, byte[] identityPublicKey, StoreMeter meter) {
        RedisRelayCluster cluster;
        try {
            cluster = RedisRelayCluster.open(options);
        } catch (ClusterUnavailableException e) {
            throw new CliFailure(ExitCodes.STORE_UNUSABLE, "cannot join the cluster: " + e.getMessage(), e);
        }
        try {
            cluster.requireIdentity(identityPublicKey);
        } catch (ClusterUnavailableException | IllegalStateException e) {
            cluster.close();
            throw new CliFailure(ExitCodes.STORE_UNUSABLE, "cannot join the cluster: " + e.getMessage(), e);
        }
        try {
            RedisRelayStore store = RedisRelayStore.open(options.redisUri(), RedisStoreOptions.builder()
                    .keyPrefix(options.keyPrefix()).meter(meter).build());
            return new ClusterMembership(cluster, store);
        } catch (StoreException e) {
            cluster.close();
            throw new CliFailure(ExitCodes.STORE_UNUSABLE, "cannot open the cluster's store: " + e.getMessage(), e);
        }
    }

    /** Leaves the cluster, then closes the store. */
    void close() {
        cluster.close();
        store.close();
    }

    /**
     * The default node id: this host's name (made of the characters a node id allows) and six random hex digits, so
     * two nodes on one host differ and a restarted node is a new node.
     */
    static String defaultNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "node";
        }
        host = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-");
        if (host.isEmpty()) {
            host = "node";
        }
        String random = RedisClusterOptions.randomNodeId().substring("node-".length(), "node-".length() + 6);
        return host.substring(0, Math.min(host.length(), 50)) + "-" + random;
    }
}
