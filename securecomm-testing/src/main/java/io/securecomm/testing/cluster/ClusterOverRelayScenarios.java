package io.securecomm.testing.cluster;

import static io.securecomm.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.ProtocolStore;
import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.RelayServer;
import io.securecomm.relay.cluster.RelayCluster;
import io.securecomm.relay.store.RelayStore;
import io.securecomm.testing.Eventually;
import io.securecomm.wire.LeaveReason;
import java.security.SecureRandom;
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
 * The scenarios every {@link RelayCluster} runs under real relays (issue 17), as {@code RelayStoreConformanceTest}
 * is for stores: two or three {@code RelayServer}s in this JVM on their own loopback ports, one identity key, each a
 * node of the cluster a subclass provides, with real {@link ChatClient}s connected to different nodes. Proves that
 * the SPI carries everything a client sees: the room and private chat across nodes, the list of everyone on every
 * node, a message stored through one node and delivered through another, a node's death (its clients vanish from
 * the others' lists once its presence expires; what was on its way to it is reported, never lost silently), and an
 * outage of the backend (not ready, "not delivered", then healed).
 *
 * <p>A subclass gives each node its membership and store on its backend, and breaks the backend on demand. Every wait
 * is bounded ({@link Eventually#WAIT}); nothing here asserts a duration.
 */
@Timeout(120)
public abstract class ClusterOverRelayScenarios {
    /** The longest one wait in these tests may take. */
    protected static final Duration WAIT = Eventually.WAIT;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final NoiseKeyPair identity = NoiseKeyPair.generate(NoiseDh.X25519, RANDOM);
    private final List<AutoCloseable> toClose = new ArrayList<>();

    /** Creates the scenarios; each test starts its nodes. */
    protected ClusterOverRelayScenarios() {}

    /**
     * A node: its relay and its membership of the cluster.
     *
     * @param relay the relay server, started
     * @param cluster its membership, which the test may ask about the other nodes
     */
    protected record Node(RelayServer relay, RelayCluster cluster) {}

    /**
     * A new node's membership of the test's cluster, closed by the test ({@link #closeAfter}).
     *
     * @param nodeId the node's id
     * @param dies whether the test will kill this node ({@link #crash}): its presence may expire sooner
     * @param relayKey the relay's public key, which every node of the cluster presents
     * @return the membership
     * @throws Exception if the backend cannot be joined
     */
    protected abstract RelayCluster joinCluster(String nodeId, boolean dies, byte[] relayKey) throws Exception;

    /**
     * A new node's store on the test's backend, closed by the test ({@link #closeAfter}).
     *
     * @param nodeId the node's id
     * @return the store (the same one for every node, or one each on a shared backend)
     * @throws Exception if it cannot be opened
     */
    protected abstract RelayStore store(String nodeId) throws Exception;

    /**
     * The node dies: it stops heartbeating, and what is routed to it is never answered.
     *
     * @param node the node
     * @throws Exception if it cannot be made to
     */
    protected abstract void crash(Node node) throws Exception;

    /**
     * Lets the presence of a {@linkplain #crash crashed} node expire, as the backend's time passes. The
     * {@code observer} may check that its node still lists the dead node's clients until the expiry.
     *
     * @param observer a client on another node
     * @throws Exception if the wait fails
     */
    protected abstract void letExpire(ChatClient observer) throws Exception;

    /**
     * The backend cannot be reached until {@link #backendUp()}.
     *
     * @throws Exception if it cannot be broken
     */
    protected abstract void backendDown() throws Exception;

    /**
     * The backend can be reached again.
     *
     * @throws Exception if it cannot be brought back
     */
    protected abstract void backendUp() throws Exception;

    /**
     * Checks why a newcomer was refused while the backend was down (it was, and never hung).
     *
     * @param failure what its connect failed with
     */
    protected void assertNewcomerRefusedDuringOutage(Throwable failure) {
        assertNotNull(failure);
    }

    /**
     * Closes a resource after the test, after everything registered later (last in, first out).
     *
     * @param resource the resource
     * @param <T> its type
     * @return {@code resource}
     */
    protected final <T extends AutoCloseable> T closeAfter(T resource) {
        toClose.add(resource);
        return resource;
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private Node node(String id) throws Exception {
        return node(id, false);
    }

    private Node node(String id, boolean dies) throws Exception {
        RelayCluster cluster = joinCluster(id, dies, identity.publicKey());
        RelayStore store = store(id);
        RelayServer relay = closeAfter(RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                .identity(identity).store(store).cluster(cluster).shutdownTimeout(Duration.ofSeconds(2)).build())
                .start());
        return new Node(relay, cluster);
    }

    private ChatClient client(Node node, String nickname, ClientEvents listener, ProtocolStore keys) {
        ChatClientOptions.Builder b = ChatClientOptions.builder("127.0.0.1", node.relay().localAddress().getPort())
                .nickname(nickname).trustStore(RelayTrustStore.knownKey(identity.publicKey()));
        if (keys != null) {
            b.protocolStore(keys);
        }
        return closeAfter(ChatClient.create(b.build(), listener));
    }

    private ChatClient connected(Node node, String nickname, ClientEvents listener) throws Exception {
        ChatClient c = client(node, nickname, listener, null);
        await(c.connect());
        return c;
    }

    /**
     * What a future completes with, waiting at most {@link #WAIT}.
     *
     * @param f the future
     * @param <T> its result's type
     * @return its result
     * @throws Exception if it failed or did not complete in time
     */
    protected static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        return e.getCause();
    }

    /**
     * The nicknames of a page, in order.
     *
     * @param page the page
     * @return its nicknames
     */
    protected static List<String> nicknames(ClientPage page) {
        return page.entries().stream().map(e -> e.client().nickname()).toList();
    }

    /** Public messages until one arrives: a member gets its sender's room key after its join. */
    private static ChatMessage publicMessage(ClientEvents to, ChatClient from, String text) throws Exception {
        await(from.sendPublic(text));
        ChatMessage m = to.nextMessage();
        assertEquals(text, m.text());
        return m;
    }

    /** alice on node a and bob on node b, who see each other: bob's join reached alice, alice's room key bob. */
    private record AliceAndBob(Node a, Node b, ChatClient alice, ClientEvents la, ChatClient bob, ClientEvents lb) {}

    private AliceAndBob aliceAndBob(boolean bDies) throws Exception {
        Node a = node("a");
        Node b = node("b", bDies);
        ClientEvents la = new ClientEvents();
        ChatClient alice = connected(a, "alice", la);
        ClientEvents lb = new ClientEvents();
        ChatClient bob = connected(b, "bob", lb);
        la.awaitJoin("bob");
        publicMessage(lb, alice, "before");
        return new AliceAndBob(a, b, alice, la, bob, lb);
    }

    @Test
    void clientsOnTwoNodesChatInTheRoomAndPrivately() throws Exception {
        Node a = node("a");
        Node b = node("b");
        ClientEvents la = new ClientEvents();
        ClientEvents lb = new ClientEvents();
        ClientEvents lc = new ClientEvents();
        ChatClient alice = connected(a, "alice", la);
        ChatClient bob = connected(b, "bob", lb);
        la.awaitJoin("bob"); // bob's join crossed from node b to alice on node a
        connected(a, "carol", lc);
        lb.awaitJoin("carol");
        la.awaitJoin("carol");

        ChatMessage atBob = publicMessage(lb, alice, "hello from a");
        assertEquals("alice", atBob.senderNickname());
        assertFalse(atBob.isPrivate());
        assertEquals("hello from a", lc.nextMessage().text()); // carol, on alice's own node, too
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
        Node a = node("a");
        Node b = node("b");
        Node c = node("c");
        ChatClient alice = connected(a, "alice", new ClientEvents());
        connected(b, "bob", new ClientEvents());
        connected(c, "carol", new ClientEvents());
        connected(b, "dave", new ClientEvents());
        eventually("a lists the three others", () -> a.cluster().onlineElsewhere() == 3);

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

        // Client ids are unique across the nodes; a nickname held on one node is refused on another, and so is one
        // that looks like it.
        assertEquals(4, all.entries().stream().mapToInt(e -> e.client().clientId()).distinct().count());
        for (String twin : List.of("bob", "B0B")) {
            ChatClient c2 = client(c, twin, new ClientEvents(), null);
            NicknameRejectedException refused = assertInstanceOf(NicknameRejectedException.class,
                    failure(c2.connect()));
            assertTrue(refused.reason() == NicknameRejectedException.Reason.TAKEN
                    || refused.reason() == NicknameRejectedException.Reason.REGISTERED, refused.toString());
        }
    }

    @Test
    void aMessageStoredThroughOneNodeIsDeliveredThroughAnother() throws Exception {
        Node a = node("a");
        Node b = node("b");
        Node c = node("c");
        ProtocolStore bobKeys = new InMemoryProtocolStore(IdentityKeyPair.generate(RANDOM));
        // bob registers on b and leaves.
        ChatClient first = client(b, "bob", new ClientEvents(), bobKeys);
        await(first.connect());
        first.close();
        eventually("bob gone from a's list", () -> a.cluster().findByNickname("bob").isEmpty());
        ChatClient alice = client(a, "alice", new ClientEvents(), new InMemoryProtocolStore(IdentityKeyPair.generate(
                RANDOM)));
        await(alice.connect());
        for (int i = 1; i <= 3; i++) {
            assertEquals(DeliveryStatus.STORED, await(alice.sendPrivate("bob", "while you were away " + i)));
        }
        // bob comes back through a third node and gets them, in order, once each.
        ClientEvents inbox = new ClientEvents();
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
    void aDeadNodesClientsVanishWithinTheExpiryAndWhatWasOnItsWayIsNeverReportedDelivered() throws Exception {
        AliceAndBob two = aliceAndBob(true);
        publicMessage(two.la(), two.bob(), "before too");

        crash(two.b()); // b dies: no heartbeat, nothing it is sent is answered
        // In flight to the dead node: the room message is reported not delivered (at the route's deadline), never
        // delivered; the private one is stored for bob, as for anyone who left.
        MessageRejectedException lost = assertInstanceOf(MessageRejectedException.class,
                failure(two.alice().sendPublic("into the void")));
        assertEquals(MessageRejectedException.Reason.RELAY_ERROR, lost.reason());
        assertTrue(lost.getMessage().contains("not delivered"), lost.getMessage());
        assertEquals(DeliveryStatus.STORED, await(two.alice().sendPrivate("bob", "kept for later")));

        // Gone once b's presence expired, with a Left.
        letExpire(two.alice());
        assertEquals(LeaveReason.DISCONNECTED.description(), two.la().awaitLeave("bob"));
        ClientPage after = await(two.alice().listPage("", 10));
        assertEquals(List.of("alice"), nicknames(after));
        assertEquals(1, after.online());
        assertTrue(two.a().relay().clusterHealth().reachable());
        // A private message to it is stored, for when it comes back.
        assertTrue(two.a().cluster().findByNickname("bob").isEmpty());
        assertEquals(DeliveryStatus.STORED, await(two.alice().sendPrivate("bob", "kept for later too")));
    }

    @Test
    void anOutageOfTheBackendIsNotReadyAndNotDeliveredThenHeals() throws Exception {
        AliceAndBob two = aliceAndBob(false);

        backendDown();
        eventually("a and b report the cluster unreachable", () -> !two.a().relay().clusterHealth().reachable()
                && !two.b().relay().clusterHealth().reachable());
        MessageRejectedException lost = assertInstanceOf(MessageRejectedException.class,
                failure(two.alice().sendPublic("during")));
        assertEquals(MessageRejectedException.Reason.RELAY_ERROR, lost.reason());
        assertTrue(lost.getMessage().contains("not delivered"), lost.getMessage());
        // A newcomer cannot be put online across the cluster: refused, told to try later; the others stay.
        ChatClient carol = client(two.a(), "carol", new ClientEvents(), null);
        assertNewcomerRefusedDuringOutage(failure(carol.connect()));
        assertTrue(two.alice().isConnected() && two.bob().isConnected());

        backendUp(); // the nodes carry on by themselves
        eventually("a and b healthy again", () -> two.a().relay().clusterHealth().reachable()
                && two.b().relay().clusterHealth().reachable());
        publicMessage(two.lb(), two.alice(), "after");
        assertEquals(DeliveryStatus.DELIVERED, await(two.bob().sendPrivate("alice", "still here")));
        assertEquals("still here", two.la().nextMessage().text());
        assertEquals(List.of("alice", "bob"), nicknames(await(two.alice().listPage("", 10))));
        ClientEvents ld = new ClientEvents();
        connected(two.b(), "dave", ld);
        two.la().awaitJoin("dave");
        assertTrue(two.alice().isConnected() && two.bob().isConnected());
    }
}
