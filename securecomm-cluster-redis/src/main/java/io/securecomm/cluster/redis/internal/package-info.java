/**
 * The Redis store's internals: the key layout ({@link io.securecomm.cluster.redis.internal.Keys}), the Lua
 * scripts ({@link io.securecomm.cluster.redis.internal.Scripts}) and the mapping of the client's failures to
 * {@link io.securecomm.relay.store.StoreException} ({@link io.securecomm.cluster.redis.internal.RedisErrors}).
 * Not exported.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.cluster.redis.internal;
