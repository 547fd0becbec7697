/**
 * The relay cluster's storage on Redis: {@link io.securecomm.cluster.redis.RedisRelayStore}, opened with
 * {@link io.securecomm.cluster.redis.RedisStoreOptions}. docs/CLUSTER.md describes the key layout, the
 * durability each Redis setting gives and how an operator configures Redis.
 *
 * <p>Parameters are non-null unless documented otherwise.
 */
package io.securecomm.cluster.redis;
