package io.securecomm.cluster.redis;

import io.securecomm.relay.store.RelayStore;
import io.securecomm.relay.store.StoreLimits;
import io.securecomm.relay.store.tck.RelayStoreConformanceTest;
import io.securecomm.testing.redis.RedisServerProcess;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conformance suite against the Redis store, on a real redis-server with append-only persistence flushed on
 * every write; each store under a new key prefix, so each starts empty.
 */
class RedisRelayStoreConformanceTest extends RelayStoreConformanceTest {
    @TempDir
    static Path dir;

    private static RedisServerProcess redis;

    private final AtomicInteger prefixes = new AtomicInteger();

    @BeforeAll
    static void startRedis() throws Exception {
        redis = RedisServerProcess.start(dir, RedisServerProcess.Persistence.AOF_ALWAYS);
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected RelayStore open(Clock clock, StoreLimits limits) throws Exception {
        return RedisRelayStore.open(redis.uri(), RedisStoreOptions.builder().clock(clock).limits(limits)
                .keyPrefix("tck-" + System.identityHashCode(this) + "-" + prefixes.incrementAndGet()).build());
    }
}
