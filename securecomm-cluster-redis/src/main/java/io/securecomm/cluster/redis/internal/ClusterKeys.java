package io.securecomm.cluster.redis.internal;

import java.util.Objects;

/**
 * The cluster's key layout, designed for Redis Cluster. The presence directory's keys share the hash tag
 * {@code {presence}}, so one Lua script may claim a nickname and count the room atomically; each node's inbox has a
 * hash tag of its own ({@code {node:<id>}}), so the routing traffic spreads over the shards.
 *
 * <pre>
 * P:{presence}:nodes        zset    node id, scored by the time its presence expires (ms, Redis' clock)
 * P:{presence}:clients      hash    client id: presence (id, nickname, identity key, node), binary
 * P:{presence}:skel         hash    nickname skeleton: client id holding it
 * P:{presence}:skelof       hash    client id: its skeleton
 * P:{presence}:room         set     client ids in the public room
 * P:{presence}:epochs       hash    node id: its epoch (raised when its presence is replaced or expired)
 * P:{presence}:node:ID      set     client ids online on node ID
 * P:{presence}:ids          string  the last client id reserved (INCRBY, a block at a time)
 * P:{presence}:relaykey     string  the relay's identity public key, recorded by the first node
 * P:{node:ID}:inbox         stream  what other nodes send node ID, in order: routes, answers, presence changes,
 *                                   stored-message notices
 * </pre>
 *
 * <p>(P: the key prefix; ID: a node id, which is made of letters, digits, {@code .}, {@code _}, {@code -} only, so
 * it never ends a hash tag.) Immutable.
 */
public final class ClusterKeys {
    /** How many keys every directory script gets, in the order of {@link #directory(String)}. */
    public static final int DIRECTORY_KEYS = 8;

    private final String prefix;

    /**
     * The layout under a prefix.
     *
     * @param prefix the key prefix, without braces
     */
    public ClusterKeys(String prefix) {
        this.prefix = Objects.requireNonNull(prefix, "prefix");
    }

    /**
     * The keys every directory script gets: nodes, clients, skel, skelof, room, epochs, the node's own set, ids.
     *
     * @param nodeId the node the script runs for
     * @return the keys, in that order (Lua's {@code KEYS[1]} to {@code KEYS[8]})
     */
    public byte[][] directory(String nodeId) {
        return new byte[][] {
            key("nodes"), key("clients"), key("skel"), key("skelof"), key("room"), key("epochs"),
            Keys.utf8(nodeClientsPrefix() + nodeId), key("ids")
        };
    }

    /**
     * What a node's set of clients is called, but for the node id: the reaping script appends the ids of the nodes
     * it reaps (keys of the directory's slot, named by the script itself).
     *
     * @return {@code P:{presence}:node:}
     */
    public String nodeClientsPrefix() {
        return prefix + ":{presence}:node:";
    }

    /**
     * The relay's identity public key, as the first node recorded it.
     *
     * @return {@code P:{presence}:relaykey}
     */
    public byte[] relayKey() {
        return key("relaykey");
    }

    /**
     * A node's inbox stream.
     *
     * @param nodeId the node
     * @return {@code P:{node:ID}:inbox}
     */
    public byte[] inbox(String nodeId) {
        return Keys.utf8(prefix + ":{node:" + nodeId + "}:inbox");
    }

    private byte[] key(String name) {
        return Keys.utf8(prefix + ":{presence}:" + name);
    }
}
