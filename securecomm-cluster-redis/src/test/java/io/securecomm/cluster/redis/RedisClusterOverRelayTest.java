package io.securecomm.cluster.redis;

import io.securecomm.client.ChatClient;
import io.securecomm.relay.cluster.RelayCluster;
import io.securecomm.relay.store.RelayStore;
import io.securecomm.testing.cluster.ClusterOverRelayScenarios;
import io.securecomm.testing.redis.RedisServerProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster's scenarios on a real {@code redis-server} (issue 17): each node with its own {@link RedisRelayCluster}
 * and {@link RedisRelayStore} on the same Redis, which it must reach to chat, list, store and deliver across nodes.
 * What only a real backend shows: a node that stops heartbeating ({@link RedisRelayCluster#crashForTesting()})
 * expires by Redis' clock, and the outage is a {@code SIGKILL} of Redis and its restart with append-only persistence,
 * after which the nodes carry on by themselves.
 */
class RedisClusterOverRelayTest extends ClusterOverRelayScenarios {
    /**
     * The presence expiry of the node that dies; the others keep the default (10 s), so that a busy machine that
     * stalls a node's heartbeat for a moment does not expire it.
     */
    private static final Duration SHORT_EXPIRY = Duration.ofSeconds(2);
    private static final Duration ROUTE_TIMEOUT = Duration.ofMillis(1500);

    @TempDir
    Path dir;

    private RedisServerProcess redis;

    @BeforeEach
    void startRedis() throws Exception {
        redis = closeAfter(RedisServerProcess.start(dir, RedisServerProcess.Persistence.AOF_ALWAYS));
    }

    @Override
    protected RelayCluster joinCluster(String nodeId, boolean dies, byte[] relayKey) throws Exception {
        RedisRelayCluster cluster = closeAfter(RedisRelayCluster.open(RedisClusterOptions.builder(redis.uri())
                .nodeId(nodeId).presenceExpiry(dies ? SHORT_EXPIRY : RedisClusterOptions.DEFAULT_PRESENCE_EXPIRY)
                .routeTimeout(ROUTE_TIMEOUT).build()));
        cluster.requireIdentity(relayKey);
        return cluster;
    }

    @Override
    protected RelayStore store(String nodeId) throws Exception {
        return closeAfter(RedisRelayStore.open(redis.uri(), RedisStoreOptions.defaults()));
    }

    /** b dies: no heartbeat, its inbox unread, its presence left in Redis. */
    @Override
    protected void crash(Node node) {
        ((RedisRelayCluster) node.cluster()).crashForTesting();
    }

    /** Gone once the presence expired by Redis' clock (its expiry after its last heartbeat, plus a check period). */
    @Override
    protected void letExpire(ChatClient observer) {
        // the scenario waits for the Left, bounded
    }

    @Override
    protected void backendDown() throws Exception {
        redis.kill();
    }

    /** The append-only file brings back the directory; the nodes reconnect by themselves. */
    @Override
    protected void backendUp() throws Exception {
        redis.restart();
    }
}
