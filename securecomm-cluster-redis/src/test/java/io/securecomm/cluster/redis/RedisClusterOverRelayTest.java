package io.securecomm.cluster.redis;

import static io.securecomm.cluster.redis.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatListener;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.ClientPage;
import io.securecomm.client.DeliveryStatus;
import io.securecomm.client.MessageRejectedException;
import io.securecomm.client.NicknameRejectedException;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.ProtocolStore;
import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.RelayServer;
import io.securecomm.wire.LeaveReason;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A relay cluster on a real {@code redis-server} (issue 17): two or three {@code RelayServer}s in this JVM, each with
 * its own {@link RedisRelayCluster} and {@link RedisRelayStore} on the same Redis, one identity key, and real
 * {@link ChatClient}s on different nodes. The scenarios of core's {@code ClusterOverRelayTest} (which runs them on
 * the in-memory reference cluster), plus what only a real backend shows: offline storage through one node and
 * delivery through another, a node that stops heartbeating, and a Redis restart with append-only persistence.
 *
 * <p>Every wait is bounded ({@link #WAIT}); nothing here asserts a duration.
 */
@Timeout(120)
class RedisClusterOverRelayTest {
    /** The longest one wait in these tests may take. */
    private static final Duration WAIT = Eventually.WAIT;
    /**
     * The presence expiry of the node that dies; the others keep the default (10 s), so that a busy machine that
     * stalls a node's heartbeat for a moment does not expire it.
     */
    private static final Duration SHORT_EXPIRY = Duration.ofSeconds(2);
    private static final Duration ROUTE_TIMEOUT = Duration.ofMillis(1500);
    private static final SecureRandom RANDOM = new SecureRandom();

    @TempDir
    Path dir;

    private final NoiseKeyPair identity = NoiseKeyPair.generate(NoiseDh.X25519, RANDOM);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private RedisServerProcess redis;

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        if (redis != null) {
            redis.close();
        }
    }

    private void startRedis() throws Exception {
        redis = RedisServerProcess.start(dir, RedisServerProcess.Persistence.AOF_ALWAYS);
    }

    /** A node: its cluster membership, its store and its relay, all on the test's Redis. */
    private record Node(RelayServer relay, RedisRelayCluster cluster, RedisRelayStore store) {}

    private Node node(String id) throws Exception {
        return node(id, RedisClusterOptions.DEFAULT_PRESENCE_EXPIRY);
    }

    private Node node(String id, Duration expiry) throws Exception {
        RedisRelayCluster cluster = RedisRelayCluster.open(RedisClusterOptions.builder(redis.uri()).nodeId(id)
                .presenceExpiry(expiry).routeTimeout(ROUTE_TIMEOUT).build());
        toClose.add(cluster);
        cluster.requireIdentity(identity.publicKey());
        RedisRelayStore store = RedisRelayStore.open(redis.uri(), RedisStoreOptions.defaults());
        toClose.add(store);
        RelayServer relay = RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                .identity(identity).store(store).cluster(cluster).shutdownTimeout(Duration.ofSeconds(2)).build())
                .start();
        toClose.add(relay);
        return new Node(relay, cluster, store);
    }

    private ChatClient client(Node node, String nickname, Events listener, ProtocolStore keys) {
        ChatClientOptions.Builder b = ChatClientOptions.builder("127.0.0.1", node.relay().localAddress().getPort())
                .nickname(nickname).trustStore(RelayTrustStore.knownKey(identity.publicKey()));
        if (keys != null) {
            b.protocolStore(keys);
        }
        ChatClient c = ChatClient.create(b.build(), listener);
        toClose.add(c);
        return c;
    }

    private ChatClient connected(Node node, String nickname, Events listener) throws Exception {
        ChatClient c = client(node, nickname, listener, null);
        await(c.connect());
        return c;
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        return e.getCause();
    }


    private static List<String> nicknames(ClientPage page) {
        return page.entries().stream().map(e -> e.client().nickname()).toList();
    }

    /** Public messages until one arrives: a member gets its sender's room key after its join. */
    private static ChatMessage publicMessage(Events to, ChatClient from, String text) throws Exception {
        await(from.sendPublic(text));
        ChatMessage m = to.nextMessage();
        assertEquals(text, m.text());
        return m;
    }

    @Test
    void clientsOnTwoNodesChatInTheRoomAndPrivately() throws Exception {
        startRedis();
        Node a = node("a");
        Node b = node("b");
        Events la = new Events();
        Events lb = new Events();
        Events lc = new Events();
        ChatClient alice = connected(a, "alice", la);
        ChatClient bob = connected(b, "bob", lb);
        la.awaitJoin("bob"); // bob's join crossed from node b to alice on node a, through b's... a's inbox
        connected(a, "carol", lc);
        lb.awaitJoin("carol");
        la.awaitJoin("carol");

        ChatMessage atBob = publicMessage(lb, alice, "hello from a");
        assertEquals("alice", atBob.senderNickname());
        assertFalse(atBob.isPrivate());
        assertEquals("hello from a", lc.nextMessage().text());
        ChatMessage atAlice = publicMessage(la, bob, "hello from b");
        assertEquals("bob", atAlice.senderNickname());
        assertEquals("hello from b", lc.nextMessage().text());

        // Private, to an account on another node: live, delivered, in the sender's order.
        for (int i = 0; i < 20; i++) {
            assertEquals(DeliveryStatus.DELIVERED, await(bob.sendPrivate("carol", "psst " + i)));
        }
        for (int i = 0; i < 20; i++) {
            ChatMessage m = lc.nextMessage();
            assertTrue(m.isPrivate() && m.senderNickname().equals("bob") && !m.wasStored(), m.toString());
            assertEquals("psst " + i, m.text());
        }
        assertEquals(2, a.relay().onlineClients());
        assertEquals(1, b.relay().onlineClients());

        // A departure crosses too, as a Left with its reason.
        bob.close();
        assertEquals(LeaveReason.BYE.description(), la.awaitLeave("bob"));
        eventually("bob gone from a's list", () -> a.cluster().findByNickname("bob").isEmpty());
    }

    @Test
    void theListShowsEveryoneOnThreeNodesAndNicknamesAndIdsAreUniqueAcrossThem() throws Exception {
        startRedis();
        Node a = node("a");
        Node b = node("b");
        Node c = node("c");
        ChatClient alice = connected(a, "alice", new Events());
        connected(b, "bob", new Events());
        connected(c, "carol", new Events());
        connected(b, "dave", new Events());
        eventually("a lists the three others", () -> a.cluster().onlineElsewhere() == 3);

        ClientPage all = await(alice.listPage("", 10));
        assertEquals(List.of("alice", "bob", "carol", "dave"), nicknames(all));
        assertEquals(4, all.online());
        assertEquals(4, all.roomMembers());
        assertFalse(all.more());
        ClientPage first = await(alice.listPage("", 3));
        assertEquals(List.of("alice", "bob", "carol"), nicknames(first));
        assertTrue(first.more());
        assertEquals(List.of("dave"), nicknames(await(alice.listPage(first.nextCursor().orElseThrow(), 3))));
        List<String> room = await(alice.list()).stream().map(OnlineClient::nickname).toList();
        assertTrue(room.containsAll(List.of("bob", "carol", "dave")), room.toString());

        assertEquals(4, all.entries().stream().mapToInt(e -> e.client().clientId()).distinct().count());
        // A nickname held on one node is refused on another, and so is one that looks like it.
        for (String twin : List.of("bob", "B0B")) {
            ChatClient c2 = client(c, twin, new Events(), null);
            NicknameRejectedException refused = assertInstanceOf(NicknameRejectedException.class,
                    failure(c2.connect()));
            assertTrue(refused.reason() == NicknameRejectedException.Reason.TAKEN
                    || refused.reason() == NicknameRejectedException.Reason.REGISTERED, refused.toString());
        }
    }

    @Test
    void aMessageStoredThroughOneNodeIsDeliveredThroughAnother() throws Exception {
        startRedis();
        Node a = node("a");
        Node b = node("b");
        Node c = node("c");
        ProtocolStore bobKeys = new InMemoryProtocolStore(IdentityKeyPair.generate(RANDOM));
        // bob registers on b and leaves.
        ChatClient first = client(b, "bob", new Events(), bobKeys);
        await(first.connect());
        first.close();
        eventually("bob gone from a's list", () -> a.cluster().findByNickname("bob").isEmpty());
        ChatClient alice = client(a, "alice", new Events(), new InMemoryProtocolStore(IdentityKeyPair.generate(
                RANDOM)));
        await(alice.connect());
        for (int i = 1; i <= 3; i++) {
            assertEquals(DeliveryStatus.STORED, await(alice.sendPrivate("bob", "while you were away " + i)));
        }
        // bob comes back through a third node and gets them, in order, once each.
        Events inbox = new Events();
        ChatClient bob = client(c, "bob", inbox, bobKeys);
        await(bob.connect());
        for (int i = 1; i <= 3; i++) {
            ChatMessage m = inbox.nextMessage();
            assertTrue(m.wasStored() && m.isPrivate() && m.senderNickname().equals("alice"), m.toString());
            assertEquals("while you were away " + i, m.text());
        }
        // Then live, across nodes: delivered (or stored and sent at once: either way, it arrives once, in order).
        for (int i = 4; i <= 6; i++) {
            DeliveryStatus status = await(alice.sendPrivate("bob", "now " + i));
            assertTrue(status == DeliveryStatus.DELIVERED || status == DeliveryStatus.STORED, status.toString());
        }
        for (int i = 4; i <= 6; i++) {
            assertEquals("now " + i, inbox.nextMessage().text());
        }
    }

    @Test
    void aNodeThatStopsHeartbeatingVanishesFromTheOthersAndWhatWasOnItsWayIsNotReportedDelivered()
            throws Exception {
        startRedis();
        Node a = node("a");
        Node b = node("b", SHORT_EXPIRY);
        Events la = new Events();
        ChatClient alice = connected(a, "alice", la);
        Events lb = new Events();
        ChatClient bob = connected(b, "bob", lb);
        la.awaitJoin("bob");
        publicMessage(lb, alice, "before");
        assertNotNull(bob);

        b.cluster().crashForTesting(); // b dies: no heartbeat, its inbox unread, its presence left in Redis
        MessageRejectedException lost = assertInstanceOf(MessageRejectedException.class,
                failure(alice.sendPublic("into the void")));
        assertEquals(MessageRejectedException.Reason.RELAY_ERROR, lost.reason());
        assertTrue(lost.getMessage().contains("not delivered"), lost.getMessage());

        // Gone once b's presence expired (SHORT_EXPIRY after its last heartbeat, plus a's check period), with a Left.
        assertEquals(LeaveReason.DISCONNECTED.description(), la.awaitLeave("bob"));
        ClientPage after = await(alice.listPage("", 10));
        assertEquals(List.of("alice"), nicknames(after));
        assertEquals(1, after.online());
        assertTrue(a.relay().clusterHealth().reachable());
        // A private message to it is stored, for when it comes back.
        assertTrue(a.cluster().findByNickname("bob").isEmpty());
        assertEquals(DeliveryStatus.STORED, await(alice.sendPrivate("bob", "kept for later")));
    }

    @Test
    void nodesCarryOnByThemselvesAfterARedisRestartWithAppendOnlyPersistence() throws Exception {
        startRedis();
        Node a = node("a");
        Node b = node("b");
        Events la = new Events();
        ChatClient alice = connected(a, "alice", la);
        Events lb = new Events();
        ChatClient bob = connected(b, "bob", lb);
        la.awaitJoin("bob");
        publicMessage(lb, alice, "before");

        redis.kill();
        eventually("a reports the cluster unreachable", () -> !a.relay().clusterHealth().reachable());
        MessageRejectedException lost = assertInstanceOf(MessageRejectedException.class,
                failure(alice.sendPublic("during")));
        assertTrue(lost.getMessage().contains("not delivered"), lost.getMessage());
        // A newcomer is refused (by the store or the cluster, both on the lost Redis); the others stay.
        ChatClient carol = client(a, "carol", new Events(), null);
        assertNotNull(failure(carol.connect()));
        assertTrue(alice.isConnected() && bob.isConnected());

        redis.restart(); // the append-only file brings back the directory; the nodes reconnect by themselves
        eventually("a and b healthy again", () -> a.relay().clusterHealth().reachable()
                && b.relay().clusterHealth().reachable());
        publicMessage(lb, alice, "after");
        assertEquals(DeliveryStatus.DELIVERED, await(bob.sendPrivate("alice", "still here")));
        assertEquals("still here", la.nextMessage().text());
        assertEquals(List.of("alice", "bob"), nicknames(await(alice.listPage("", 10))));
        Events ld = new Events();
        connected(b, "dave", ld);
        la.awaitJoin("dave");
        assertTrue(alice.isConnected() && bob.isConnected());
    }

    /** A client's events, in order; waits are bounded by {@link #WAIT}. */
    static final class Events implements ChatListener {
        private record Event(String kind, Object value, String detail) {}

        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();

        @Override
        public void onMessage(ChatMessage message) {
            events.add(new Event("message", message, ""));
        }

        @Override
        public void onJoin(OnlineClient client) {
            events.add(new Event("join", client, ""));
        }

        @Override
        public void onLeave(OnlineClient client, LeaveReason reason) {
            events.add(new Event("leave", client, reason.description()));
        }

        private Event next(String kind) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (true) {
                Event e = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                assertNotNull(e, "no " + kind + " event within " + WAIT);
                if (e.kind().equals(kind)) {
                    return e;
                }
            }
        }

        ChatMessage nextMessage() throws InterruptedException {
            return (ChatMessage) next("message").value();
        }

        void awaitJoin(String nickname) throws InterruptedException {
            while (!((OnlineClient) next("join").value()).nickname().equals(nickname)) {
                // an earlier member's join: keep waiting
            }
        }

        /** Waits for a member's departure and returns its reason's description. */
        String awaitLeave(String nickname) throws InterruptedException {
            while (true) {
                Event e = next("leave");
                if (((OnlineClient) e.value()).nickname().equals(nickname)) {
                    return e.detail();
                }
            }
        }
    }
}
