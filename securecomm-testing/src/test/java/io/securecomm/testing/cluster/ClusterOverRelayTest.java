package io.securecomm.testing.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClient;
import io.securecomm.relay.cluster.RelayCluster;
import io.securecomm.relay.store.InMemoryRelayStore;
import io.securecomm.relay.store.RelayStore;
import io.securecomm.relay.store.StoreLimits;
import io.securecomm.relay.store.tck.AdjustableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The cluster's scenarios on {@link InMemoryCluster}, the reference cluster standing in for Redis in one JVM: one
 * store for every node, heartbeats and expiry on the test's clock (so a dead node is shown listed until its expiry,
 * and gone at it), a crash and an outage at the test's command.
 */
class ClusterOverRelayTest extends ClusterOverRelayScenarios {
    private static final Duration EXPIRY = Duration.ofSeconds(15);
    private final AdjustableClock clusterClock = new AdjustableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final InMemoryCluster cluster = new InMemoryCluster(clusterClock, EXPIRY, Duration.ofMillis(500));
    private final InMemoryRelayStore store = closeAfter(new InMemoryRelayStore(Clock.systemUTC(),
            StoreLimits.defaults()));

    ClusterOverRelayTest() {
        closeAfter(cluster);
    }

    @Override
    protected RelayCluster joinCluster(String nodeId, boolean dies, byte[] relayKey) {
        return cluster.node(nodeId);
    }

    @Override
    protected RelayStore store(String nodeId) {
        return store;
    }

    @Override
    protected void crash(Node node) {
        cluster.crash(node.cluster().nodeId());
    }

    /** Still listed until the expiry has passed since the dead node's last heartbeat; gone after it. */
    @Override
    protected void letExpire(ChatClient observer) throws Exception {
        clusterClock.advance(EXPIRY.minusSeconds(1));
        cluster.advance();
        assertEquals(List.of("alice", "bob"), nicknames(await(observer.listPage("", 10))),
                "still listed before the expiry");
        clusterClock.advance(Duration.ofSeconds(1));
        cluster.advance();
    }

    @Override
    protected void backendDown() {
        cluster.outage(true);
    }

    @Override
    protected void backendUp() {
        cluster.outage(false);
    }

    /** The in-memory cluster has no store to fail first: the refusal names the cluster. */
    @Override
    protected void assertNewcomerRefusedDuringOutage(Throwable failure) {
        assertTrue(failure.getMessage().contains("cluster"), failure.getMessage());
    }
}
