package io.securecomm.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.ClientPage;
import io.securecomm.client.DeliveryStatus;
import io.securecomm.client.MessageRejectedException;
import io.securecomm.client.NicknameRejectedException;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.relay.cluster.InMemoryCluster;
import io.securecomm.relay.store.InMemoryRelayStore;
import io.securecomm.relay.store.StoreLimits;
import io.securecomm.testing.MutableClock;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A relay cluster in one JVM (issue 17): two or three {@code RelayServer}s on their own loopback ports, one identity
 * key, one store, and one {@link InMemoryCluster} standing in for Redis, with real {@link ChatClient}s connected to
 * different nodes. Proves that the {@code RelayCluster} SPI carries everything a client sees: the room and private
 * chat across nodes, the list of everyone on every node, a node's death (its clients vanish from the others' lists
 * once its presence expires; what was on its way to it is reported, never lost silently), and an outage of the
 * backend (not ready, "not delivered").
 */
@Timeout(90)
class ClusterOverRelayTest {
    private static final Duration EXPIRY = Duration.ofSeconds(15);
    private final MutableClock clusterClock = new MutableClock();
    private final InMemoryCluster cluster = new InMemoryCluster(clusterClock, EXPIRY, Duration.ofMillis(500));
    private final InMemoryRelayStore store = new InMemoryRelayStore(Clock.systemUTC(), StoreLimits.defaults());
    private final NoiseKeyPair identity = NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom());
    private final List<RelayServer> relays = new ArrayList<>();
    private final List<ChatClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(ChatClient::close);
        relays.forEach(RelayServer::close);
        cluster.close();
        store.close();
    }

    private RelayServer node(String id) throws Exception {
        RelayServer relay = RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                .identity(identity).store(store).cluster(cluster.node(id)).shutdownTimeout(Duration.ofSeconds(2))
                .build()).start();
        relays.add(relay);
        return relay;
    }

    private ChatClient client(RelayServer relay, String nickname, RecordingListener listener) {
        ChatClient c = ChatClient.create(ChatClientOptions.builder("127.0.0.1", relay.localAddress().getPort())
                .nickname(nickname).trustStore(RelayTrustStore.knownKey(identity.publicKey())).build(), listener);
        clients.add(c);
        return c;
    }

    private ChatClient connected(RelayServer relay, String nickname, RecordingListener listener) throws Exception {
        ChatClient c = client(relay, nickname, listener);
        await(c.connect());
        return c;
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(20, TimeUnit.SECONDS));
        return e.getCause();
    }

    private static void awaitJoin(RecordingListener l, String nickname) throws Exception {
        while (!((OnlineClient) l.next("join").value()).nickname().equals(nickname)) {
            // an earlier member's join: keep waiting
        }
    }

    private static void awaitLeave(RecordingListener l, String nickname) throws Exception {
        while (!((OnlineClient) l.next("leave").value()).nickname().equals(nickname)) {
            // another member's departure: keep waiting
        }
    }

    private static List<String> nicknames(ClientPage page) {
        return page.entries().stream().map(e -> e.client().nickname()).toList();
    }

    /** Public messages until one arrives: the room key of its sender reaches a member after its join. */
    private static ChatMessage publicMessage(RecordingListener to, ChatClient from, String text) throws Exception {
        await(from.sendPublic(text));
        ChatMessage m = to.nextMessage();
        assertEquals(text, m.text());
        return m;
    }

    @Test
    void clientsOnTwoNodesChatInTheRoomAndPrivately() throws Exception {
        RelayServer a = node("a");
        RelayServer b = node("b");
        RecordingListener la = new RecordingListener();
        RecordingListener lb = new RecordingListener();
        RecordingListener lc = new RecordingListener();
        ChatClient alice = connected(a, "alice", la);
        ChatClient bob = connected(b, "bob", lb);
        awaitJoin(la, "bob"); // bob's join crossed from node b to alice on node a
        connected(a, "carol", lc);
        awaitJoin(lb, "carol");
        awaitJoin(la, "carol");

        ChatMessage atBob = publicMessage(lb, alice, "hello from a");
        assertEquals("alice", atBob.senderNickname());
        assertFalse(atBob.isPrivate());
        assertEquals("hello from a", lc.nextMessage().text()); // carol, on alice's own node, too
        ChatMessage atAlice = publicMessage(la, bob, "hello from b");
        assertEquals("bob", atAlice.senderNickname());
        assertEquals("hello from b", lc.nextMessage().text());

        // Private, to an account on another node: live, delivered, in the sender's order.
        for (int i = 0; i < 5; i++) {
            assertEquals(DeliveryStatus.DELIVERED, await(bob.sendPrivate("carol", "psst " + i)));
        }
        for (int i = 0; i < 5; i++) {
            ChatMessage m = lc.nextMessage();
            assertTrue(m.isPrivate() && m.senderNickname().equals("bob") && !m.wasStored(), m.toString());
            assertEquals("psst " + i, m.text());
        }
        assertEquals(2, a.onlineClients());
        assertEquals(1, b.onlineClients());
    }

    @Test
    void theListShowsEveryoneOnEveryNodeAndNicknamesAreUniqueAcrossNodes() throws Exception {
        RelayServer a = node("a");
        RelayServer b = node("b");
        RelayServer c = node("c");
        ChatClient alice = connected(a, "alice", new RecordingListener());
        connected(b, "bob", new RecordingListener());
        connected(c, "carol", new RecordingListener());
        connected(b, "dave", new RecordingListener());

        ClientPage all = await(alice.listPage("", 10));
        assertEquals(List.of("alice", "bob", "carol", "dave"), nicknames(all));
        assertEquals(4, all.online());
        assertEquals(4, all.roomMembers());
        assertFalse(all.more());
        // Paged across nodes: the cursor walks the merged order.
        ClientPage first = await(alice.listPage("", 3));
        assertEquals(List.of("alice", "bob", "carol"), nicknames(first));
        assertTrue(first.more());
        assertEquals(List.of("dave"), nicknames(await(alice.listPage(first.nextCursor().orElseThrow(), 3))));
        List<String> room = await(alice.list()).stream().map(OnlineClient::nickname).toList();
        assertTrue(room.containsAll(List.of("bob", "carol", "dave")), room.toString());

        // Client ids are unique across the nodes, and a nickname held on one node is refused on another.
        assertEquals(4, all.entries().stream().mapToInt(e -> e.client().clientId()).distinct().count());
        ChatClient twin = client(c, "bob", new RecordingListener());
        NicknameRejectedException refused = assertInstanceOf(NicknameRejectedException.class,
                failure(twin.connect()));
        assertTrue(refused.reason() == NicknameRejectedException.Reason.TAKEN
                || refused.reason() == NicknameRejectedException.Reason.REGISTERED, refused.toString());
    }

    @Test
    void aDeadNodesClientsVanishWithinTheExpiryAndWhatWasOnItsWayIsNeverReportedDelivered() throws Exception {
        RelayServer a = node("a");
        RelayServer b = node("b");
        RecordingListener la = new RecordingListener();
        ChatClient alice = connected(a, "alice", la);
        RecordingListener lb = new RecordingListener();
        ChatClient bob = connected(b, "bob", lb);
        awaitJoin(la, "bob");
        publicMessage(lb, alice, "before");
        publicMessage(la, bob, "before too");

        cluster.crash("b"); // b dies: no heartbeat, nothing it is sent is answered
        // In flight to the dead node: the room message is reported not delivered (at the route's deadline), never
        // delivered; the private one is stored for bob, as for anyone who left.
        MessageRejectedException lost = assertInstanceOf(MessageRejectedException.class,
                failure(alice.sendPublic("into the void")));
        assertEquals(MessageRejectedException.Reason.RELAY_ERROR, lost.reason());
        assertTrue(lost.getMessage().contains("not delivered"), lost.getMessage());
        assertEquals(DeliveryStatus.STORED, await(alice.sendPrivate("bob", "kept for later")));

        // Still listed until the expiry has passed since b's last heartbeat; gone after it, with a Left.
        clusterClock.advance(EXPIRY.minusSeconds(1));
        cluster.advance();
        assertEquals(List.of("alice", "bob"), nicknames(await(alice.listPage("", 10))));
        clusterClock.advance(Duration.ofSeconds(1));
        cluster.advance();
        awaitLeave(la, "bob");
        ClientPage after = await(alice.listPage("", 10));
        assertEquals(List.of("alice"), nicknames(after));
        assertEquals(1, after.online());
        assertTrue(a.clusterHealth().reachable());
    }

    @Test
    void anOutageOfTheBackendIsNotReadyAndNotDeliveredThenHeals() throws Exception {
        RelayServer a = node("a");
        RelayServer b = node("b");
        RecordingListener la = new RecordingListener();
        ChatClient alice = connected(a, "alice", la);
        RecordingListener lb = new RecordingListener();
        ChatClient bob = connected(b, "bob", lb);
        awaitJoin(la, "bob");
        publicMessage(lb, alice, "before");

        cluster.outage(true);
        assertFalse(a.clusterHealth().reachable());
        assertFalse(b.clusterHealth().reachable());
        MessageRejectedException lost = assertInstanceOf(MessageRejectedException.class,
                failure(alice.sendPublic("during")));
        assertEquals(MessageRejectedException.Reason.RELAY_ERROR, lost.reason());
        assertTrue(lost.getMessage().contains("not delivered"), lost.getMessage());
        // A newcomer cannot be put online across the cluster: refused, told to try later; the others stay.
        ChatClient carol = client(a, "carol", new RecordingListener());
        assertTrue(failure(carol.connect()).getMessage().contains("cluster"));
        assertTrue(alice.isConnected() && bob.isConnected());

        cluster.outage(false);
        assertTrue(a.clusterHealth().reachable());
        publicMessage(lb, alice, "after");
    }
}
