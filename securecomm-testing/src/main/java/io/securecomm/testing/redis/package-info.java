/**
 * A real {@code redis-server} for the tests on Redis and the cluster benchmarks
 * ({@link io.securecomm.testing.redis.RedisServerProcess}). Parameters are non-null unless documented otherwise.
 */
package io.securecomm.testing.redis;
