/**
 * The Redis store's and cluster's internals: the key layouts ({@link io.securecomm.cluster.redis.internal.Keys},
 * {@link io.securecomm.cluster.redis.internal.ClusterKeys}), the Lua scripts
 * ({@link io.securecomm.cluster.redis.internal.Scripts}, {@link io.securecomm.cluster.redis.internal.ClusterScripts}),
 * the cluster's binary forms and view of the other nodes, the Lettuce client's settings, and the mapping of the
 * client's failures to {@link io.securecomm.relay.store.StoreException}
 * ({@link io.securecomm.cluster.redis.internal.RedisErrors}).
 * Not exported.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.cluster.redis.internal;
