package io.securecomm.benchmarks.relay;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A relay cluster under test: a {@link RedisBackend} and N relay nodes on it, each in its own JVM
 * ({@link RelayProcess#startClusterNode}). Its stats are the nodes' summed (CPU time, and heap after GC); the Redis
 * server's CPU is read apart ({@link #redisStats()}), so that a run shows what the relay nodes and what Redis spend
 * per delivery.
 */
final class ClusterUnderTest implements ServerUnderTest {
    private final RedisBackend redis;
    private final List<RelayProcess> nodes;

    private ClusterUnderTest(RedisBackend redis, List<RelayProcess> nodes) {
        this.redis = redis;
        this.nodes = nodes;
    }

    /**
     * Starts Redis, then the nodes one after the other.
     *
     * @param count how many nodes, at least 1
     * @param maxClients each node's client limit
     * @param handshakeTimeout each node's handshake deadline
     * @param heap each node's {@code -Xmx}
     * @return the running cluster
     * @throws IOException if Redis or a node cannot start (what started is stopped)
     */
    static ClusterUnderTest start(int count, int maxClients, Duration handshakeTimeout, String heap)
            throws IOException {
        RedisBackend redis = RedisBackend.start();
        List<RelayProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                nodes.add(RelayProcess.startClusterNode(maxClients, handshakeTimeout, heap, redis.uri(), "n" + i));
            }
        } catch (IOException | RuntimeException e) {
            new ClusterUnderTest(redis, nodes).close();
            throw e;
        }
        return new ClusterUnderTest(redis, nodes);
    }

    /**
     * The nodes' ports on 127.0.0.1, in node order.
     *
     * @return the ports
     */
    List<Integer> ports() {
        return nodes.stream().map(RelayProcess::port).toList();
    }

    /**
     * The Redis server's CPU time and resident set now.
     *
     * @return its stats
     * @throws IOException if they cannot be read
     */
    Stats redisStats() throws IOException {
        return redis.stats();
    }

    @Override
    public String name() {
        return "securecomm relay cluster, " + nodes.size() + " node" + (nodes.size() > 1 ? "s" : "")
                + " on Redis (appendfsync everysec)";
    }

    @Override
    public Stats stats() throws IOException {
        long cpu = 0;
        long memory = 0;
        for (RelayProcess node : nodes) {
            Stats s = node.stats();
            cpu += s.cpuNanos();
            memory += s.memoryBytes();
        }
        return new Stats(cpu, memory);
    }

    @Override
    public ThreadCpu threadCpu() throws IOException {
        List<Long> pids = new ArrayList<>();
        for (RelayProcess node : nodes) {
            pids.add(node.pid());
        }
        return ThreadCpu.of(pids);
    }

    @Override
    public void close() {
        for (RelayProcess node : nodes) {
            try {
                node.close();
            } catch (IOException e) {
                // stopped by force in close(); nothing more to do
            }
        }
        redis.close();
    }
}
