package io.securecomm.cluster.redis;

import static io.securecomm.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.cluster.SlotHash;
import io.securecomm.cluster.redis.internal.ClusterKeys;
import io.securecomm.relay.cluster.ClientPresence;
import io.securecomm.relay.cluster.ClusterNode;
import io.securecomm.relay.cluster.ClusterUnavailableException;
import io.securecomm.relay.cluster.JoinResult;
import io.securecomm.relay.cluster.PresenceChange;
import io.securecomm.relay.cluster.RouteOutcome;
import io.securecomm.relay.cluster.RoutedMessage;
import io.securecomm.relay.store.StoreException;
import io.securecomm.testing.Eventually;
import io.securecomm.testing.redis.RedisServerProcess;
import io.securecomm.wire.LeaveReason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RedisRelayCluster} on its own, against a real {@code redis-server}, with stand-in relays
 * ({@link ClusterNode}s that record what they are told): the key layout's hash slots, the atomic claims, the
 * order of one node's routes at another, client ids, and what a lost, emptied or stalled Redis does. Every wait is
 * bounded.
 */
@Timeout(120)
class RedisRelayClusterTest {
    private static final Duration WAIT = Eventually.WAIT;
    private static final byte[] KEY = new byte[32];

    @TempDir
    Path dir;

    private RedisServerProcess redis;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    /** A stand-in relay: records presence changes and deliveries, answers every delivery DELIVERED. */
    private static final class Recorder implements ClusterNode {
        final BlockingQueue<PresenceChange> changes = new LinkedBlockingQueue<>();
        final List<RoutedMessage> delivered = new CopyOnWriteArrayList<>();
        final List<ClientPresence> local = new CopyOnWriteArrayList<>();
        final BlockingQueue<String> stored = new LinkedBlockingQueue<>();

        @Override
        public CompletionStage<List<RouteOutcome>> deliver(RoutedMessage message) {
            delivered.add(message);
            return CompletableFuture.completedFuture(Collections.nCopies(message.recipientIds().length,
                    RouteOutcome.DELIVERED));
        }

        @Override
        public void presenceChanged(PresenceChange change) {
            changes.add(change);
        }

        @Override
        public void storedMessageArrived(String account) {
            stored.add(account);
        }

        @Override
        public List<ClientPresence> localClients() {
            return List.copyOf(local);
        }

        PresenceChange next() throws InterruptedException {
            PresenceChange c = changes.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(c, "no presence change within " + WAIT);
            return c;
        }
    }

    private record Member(RedisRelayCluster cluster, Recorder relay) {
        /** Joins a client the way the relay does: the id, the claim, and (on success) the local list. */
        JoinResult join(String nickname, boolean room, int roomLimit) throws Exception {
            ClientPresence p = new ClientPresence(cluster.nextClientId(), nickname, KEY, cluster.nodeId(), room);
            JoinResult r = cluster.join(p, roomLimit).toCompletableFuture().get(WAIT.toMillis(),
                    TimeUnit.MILLISECONDS);
            if (r instanceof JoinResult.Joined j) {
                relay.local.add(p.withRoom(j.inRoom()));
            }
            return r;
        }
    }

    private Member member(String id, Duration expiry) throws Exception {
        RedisRelayCluster cluster = RedisRelayCluster.open(RedisClusterOptions.builder(redis.uri()).nodeId(id)
                .presenceExpiry(expiry).routeTimeout(Duration.ofMillis(800)).idBlockSize(4).build());
        toClose.add(cluster);
        Recorder relay = new Recorder();
        cluster.attach(relay);
        return new Member(cluster, relay);
    }

    private Member member(String id) throws Exception {
        return member(id, Duration.ofSeconds(10));
    }


    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Test
    void theDirectorySharesOneSlotAndEachInboxHasItsOwn() {
        ClusterKeys keys = new ClusterKeys("sc");
        Set<Integer> slots = new HashSet<>();
        for (byte[] k : keys.directory("node-1")) {
            slots.add(SlotHash.getSlot(k));
        }
        slots.add(SlotHash.getSlot((keys.nodeClientsPrefix() + "node-2").getBytes(StandardCharsets.UTF_8)));
        slots.add(SlotHash.getSlot(keys.relayKey()));
        assertEquals(1, slots.size(), "every directory key on one slot");
        assertEquals(SlotHash.getSlot("node:node-1"), SlotHash.getSlot(keys.inbox("node-1")));
        assertNotEquals(SlotHash.getSlot(keys.inbox("node-1")), SlotHash.getSlot(keys.inbox("node-2")),
                "each node's inbox on a slot of its own");
    }

    @Test
    void claimsAreAtomicAcrossNodesByTheSkeletonAndTheRoomIsCountedAcrossThem() throws Exception {
        redis = RedisServerProcess.start(dir, RedisServerProcess.Persistence.NONE);
        Member a = member("a");
        Member b = member("b");
        assertEquals(new JoinResult.Joined(true), a.join("alice", true, 2));
        assertEquals(new JoinResult.Joined(true), b.join("bob", true, 2));
        assertEquals(new JoinResult.Taken("alice"), b.join("ALICE", true, 2));
        assertEquals(new JoinResult.Taken("bob"), a.join("b0b", true, 2)); // the same skeleton
        assertEquals(new JoinResult.Joined(false), a.join("carol", true, 2)); // the room is full across nodes
        // b heard of alice and carol, in order, carol outside the room.
        assertEquals("alice", b.relay().next().client().nickname());
        PresenceChange carol = b.relay().next();
        assertEquals("carol", carol.client().nickname());
        assertFalse(carol.client().inRoom());
        assertEquals(2, b.cluster().onlineElsewhere());
        assertEquals(1, b.cluster().roomMembersElsewhere().size());
        assertEquals(List.of("alice", "carol"), b.cluster().page("", 10).stream().map(ClientPresence::nickname)
                .toList());
    }

    @Test
    void aRedisThatAsksForAPasswordIsJoinedWithTheOneInTheUriAndRefusesANodeWithout() throws Exception {
        redis = RedisServerProcess.start(dir, RedisServerProcess.Persistence.NONE, "n0t-the-default");
        assertTrue(redis.uri().startsWith("redis://:n0t-the-default@"), redis.uri());
        assertThrows(ClusterUnavailableException.class, () -> RedisRelayCluster.open(
                RedisClusterOptions.builder(redis.uriWithoutPassword()).nodeId("x").build()));
        ClusterUnavailableException wrong = assertThrows(ClusterUnavailableException.class,
                () -> RedisRelayCluster.open(RedisClusterOptions.builder(
                        redis.uri().replace("n0t-the-default", "a-wr0ng-one")).nodeId("y").build()));
        assertFalse(wrong.getMessage().contains("a-wr0ng-one"), "a refusal never shows the password: " + wrong);
        Member a = member("a");
        Member b = member("b");
        assertEquals(new JoinResult.Joined(true), a.join("alice", true, 2));
        assertEquals("alice", b.relay().next().client().nickname());
        // The node's store opens on the same URI (its first command needs the password too).
        RedisRelayStore store = RedisRelayStore.open(redis.uri(), RedisStoreOptions.builder().build());
        toClose.add(store);
        assertThrows(StoreException.class, () -> RedisRelayStore.open(redis.uriWithoutPassword(),
                RedisStoreOptions.builder().build()).close());
    }

    @Test
    void aRedisThatSpeaksOnlyTlsIsJoinedThroughARedissUri() throws Exception {
        redis = RedisServerProcess.startTls(dir, RedisServerProcess.Persistence.NONE);
        assertTrue(redis.uri().startsWith("rediss://"), redis.uri());
        assertThrows(ClusterUnavailableException.class, () -> RedisRelayCluster.open(
                RedisClusterOptions.builder(redis.uri().replace("rediss://", "redis://")).nodeId("x").build()));
        Member a = member("a");
        Member b = member("b");
        assertEquals(new JoinResult.Joined(true), a.join("alice", true, 2));
        assertEquals("alice", b.relay().next().client().nickname());
        toClose.add(RedisRelayStore.open(redis.uri(), RedisStoreOptions.builder().build()));
    }

    @Test
    void clientIdsAreUniqueAcrossNodesAndBlocks() throws Exception {
        redis = RedisServerProcess.start(dir, RedisServerProcess.Persistence.NONE);
        Member a = member("a");
        Member b = member("b");
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ids.add(nextId(a.cluster()));
            ids.add(nextId(b.cluster()));
        }
        assertEquals(400, ids.size());
        assertTrue(ids.stream().allMatch(id -> id >= 1));
    }

    /** The next id; the reserve may be empty for a moment while the next block is on its way. */
    private static int nextId(RedisRelayCluster cluster) throws Exception {
        int[] id = new int[1];
        eventually("a client id from the reserve", () -> {
            try {
                id[0] = cluster.nextClientId();
                return true;
            } catch (ClusterUnavailableException e) {
                return false;
            }
        });
        return id[0];
    }

    @Test
    void routesFromOneNodeArriveAtAnotherInOrderWithTheirOutcomes() throws Exception {
        redis = RedisServerProcess.start(dir, RedisServerProcess.Persistence.NONE);
        Member a = member("a");
        Member b = member("b");
        List<CompletableFuture<List<RouteOutcome>>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            answers.add(a.cluster().route("b", new RoutedMessage("a", 7, new int[] {9, 10}, "", 0,
                    new byte[] {(byte) i})).toCompletableFuture());
        }
        for (CompletableFuture<List<RouteOutcome>> answer : answers) {
            assertEquals(List.of(RouteOutcome.DELIVERED, RouteOutcome.DELIVERED), await(answer));
        }
        List<RoutedMessage> got = b.relay().delivered;
        assertEquals(200, got.size());
        for (int i = 0; i < 200; i++) {
            assertEquals((byte) i, got.get(i).encoded()[0]);
        }
        // A stored-message notice rides the same inbox.
        a.cluster().notifyStored("b", "bob");
        assertEquals("bob", b.relay().stored.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        // A node that is not there never answers: not delivered, at the route's deadline.
        assertEquals(List.of(RouteOutcome.NOT_DELIVERED), await(a.cluster().route("nobody",
                new RoutedMessage("a", 7, new int[] {9}, "", 0, new byte[] {1}))));
    }

    @Test
    void aNodeThatLeavesIsAnnouncedAtOnceAndOneThatDiesAtExpiry() throws Exception {
        redis = RedisServerProcess.start(dir, RedisServerProcess.Persistence.NONE);
        Member a = member("a");
        Member b = member("b");
        Member c = member("c", Duration.ofSeconds(2));
        b.join("bob", true, 10);
        c.join("carol", true, 10);
        eventually("a lists bob and carol", () -> a.cluster().onlineElsewhere() == 2);
        a.relay().changes.clear();

        b.cluster().close(); // leaves: its clients go at once, as disconnected
        PresenceChange gone = a.relay().next();
        assertInstanceOf(PresenceChange.Offline.class, gone);
        assertEquals("bob", gone.client().nickname());

        c.cluster().crashForTesting(); // dies: its clients go when its presence expires
        // On a loaded machine c's 2 s presence can lapse once before the crash (four heartbeats missed): a expires
        // carol, c publishes her anew, and the crash expires her again. So the test waits for the end state (c
        // expired in Redis, no one listed) and then reads every change: all of them carol's, the last her expiry.
        List<PresenceChange> seen = new ArrayList<>();
        eventually("c's presence expired and a lists no one", () -> {
            a.relay().changes.drainTo(seen);
            return unlisted("c") && a.cluster().onlineElsewhere() == 0 && !seen.isEmpty();
        });
        a.relay().changes.drainTo(seen);
        for (PresenceChange change : seen) {
            assertEquals("carol", change.client().nickname(), "only carol's presence changes: " + seen);
        }
        PresenceChange expired = seen.get(seen.size() - 1);
        assertEquals(LeaveReason.DISCONNECTED, assertInstanceOf(PresenceChange.Offline.class, expired).reason());
        assertEquals(0, a.cluster().onlineElsewhere());
        // Nothing of the dead node is left but its epoch: its set of clients, its listing and its inbox are gone.
        assertEquals(":0", redis.command("EXISTS", "sc:{presence}:node:c", "sc:{node:c}:inbox").trim());
        assertTrue(unlisted("c"), "c no longer listed");
    }

    /** Whether Redis no longer lists the node among the live ones. */
    private boolean unlisted(String node) {
        try {
            return redis.command("ZSCORE", "sc:{presence}:nodes", node).startsWith("$-1");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void aRedisThatLostEverythingGetsEveryNodesClientsBack() throws Exception {
        redis = RedisServerProcess.start(dir, RedisServerProcess.Persistence.NONE);
        Member a = member("a", Duration.ofSeconds(3));
        Member b = member("b", Duration.ofSeconds(3));
        a.join("alice", true, 10);
        b.join("bob", true, 10);
        eventually("each lists the other", () -> a.cluster().onlineElsewhere() == 1
                && b.cluster().onlineElsewhere() == 1);

        redis.restart(); // no persistence: the directory is gone
        eventually("both published anew and reachable", () -> a.cluster().health().reachable()
                && b.cluster().health().reachable() && redis.isRunning()
                && a.cluster().findByNickname("bob").isPresent() && b.cluster().findByNickname("alice").isPresent());
        // The claims are back too: another node cannot take bob.
        Member c = member("c", Duration.ofSeconds(3));
        assertEquals(new JoinResult.Taken("bob"), c.join("bob", true, 10));
        assertTrue(nextId(c.cluster()) > 0);
    }

    @Test
    void aStalledRedisFailsJoinsAndRoutesWithinTheirDeadlinesInsteadOfHanging() throws Exception {
        redis = RedisServerProcess.start(dir, RedisServerProcess.Persistence.NONE);
        Member a = member("a");
        member("b");
        redis.pause();
        try {
            ExecutionException e = assertThrows(ExecutionException.class, () -> a.cluster()
                    .join(new ClientPresence(nextId(a.cluster()), "dave", KEY, "a", true), 10).toCompletableFuture()
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertInstanceOf(ClusterUnavailableException.class, e.getCause());
            assertEquals(List.of(RouteOutcome.NOT_DELIVERED), await(a.cluster().route("b",
                    new RoutedMessage("a", 1, new int[] {2}, "", 0, new byte[] {1}))));
            eventually("a reports not reachable", () -> !a.cluster().health().reachable());
        } finally {
            redis.resume();
        }
        eventually("a reachable again", () -> a.cluster().health().reachable());
        assertEquals(new JoinResult.Joined(true), a.join("erin", true, 10));
    }
}
