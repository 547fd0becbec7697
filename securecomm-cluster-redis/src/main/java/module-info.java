/**
 * The relay cluster on Redis ({@code io.securecomm:securecomm-cluster-redis}): a
 * {@link io.securecomm.relay.store.RelayStore} whose keys are laid out for Redis Cluster (each account's keys on
 * one hash slot) and changed by Lua scripts, and a {@link io.securecomm.relay.cluster.RelayCluster} (presence,
 * nickname claims, the room and the routing between nodes), through the Lettuce client. docs/CLUSTER.md describes
 * the layouts and what "stored" means under each Redis persistence setting.
 *
 * <p>Exported: {@code io.securecomm.cluster.redis}. The package named {@code internal} (key layout, scripts,
 * error mapping) is not exported.
 */
module io.securecomm.cluster.redis {
    requires transitive io.securecomm.core;
    // The Redis client, an automatic module (Automatic-Module-Name lettuce.core); it brings its Netty, the
    // relay's own version through the Netty BOM.
    requires lettuce.core;

    exports io.securecomm.cluster.redis;
}
