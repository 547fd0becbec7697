/**
 * The relay cluster on Redis: its storage, {@link io.securecomm.cluster.redis.RedisRelayStore} (opened with
 * {@link io.securecomm.cluster.redis.RedisStoreOptions}), and each node's membership,
 * {@link io.securecomm.cluster.redis.RedisRelayCluster} (opened with
 * {@link io.securecomm.cluster.redis.RedisClusterOptions}), which implements
 * {@link io.securecomm.relay.cluster.RelayCluster}. docs/CLUSTER.md describes the key layout, the
 * durability each Redis setting gives and how an operator configures Redis.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.cluster.redis;
