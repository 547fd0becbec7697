package io.securecomm.internal.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.PreKeyBundle;
import io.securecomm.e2e.PreKeyUpload;
import io.securecomm.e2e.PreKeys;
import io.securecomm.internal.relay.RelayHarness.Conn;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.cluster.ClientPresence;
import io.securecomm.relay.cluster.ClusterHealth;
import io.securecomm.relay.cluster.ClusterNode;
import io.securecomm.relay.cluster.JoinResult;
import io.securecomm.relay.cluster.RelayCluster;
import io.securecomm.relay.cluster.RouteOutcome;
import io.securecomm.relay.cluster.RoutedMessage;
import io.securecomm.relay.store.PreKeyKind;
import io.securecomm.relay.store.StoredMessage;
import io.securecomm.wire.AccountBundle;
import io.securecomm.wire.AccountBundleRequest;
import io.securecomm.wire.AccountHello;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.DeliveryReport;
import io.securecomm.wire.DeliveryState;
import io.securecomm.wire.Envelope;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.LeaveReason;
import io.securecomm.wire.ListPage;
import io.securecomm.wire.ListPageRequest;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageCodec;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.PreKeyBundleResponse;
import io.securecomm.wire.PreKeyCount;
import io.securecomm.wire.RoomEnvelope;
import io.securecomm.wire.SendRoomEnvelope;
import io.securecomm.wire.SendToAccount;
import io.securecomm.wire.UploadPreKeys;
import io.securecomm.wire.Welcome;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The sessions' side of the relay cluster (docs/CLUSTER.md), with the relay's sessions in memory and a scripted
 * {@link RelayCluster} whose routes the test answers by hand: one sender's messages to an account on another node stay
 * in order across live and stored, a room message counts its members on every node, a route that is never answered is
 * reported not delivered, the list merges the nodes, and a message routed here waits for what is stored first.
 */
class RelaySessionClusterTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Scripted cluster = new Scripted();
    private final RelayHarness relay = new RelayHarness(RelayOptions.builder().cluster(cluster));

    private static byte[] key(int b) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) b);
        return k;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private Conn account(String nickname, int keyByte) {
        Conn c = relay.established(key(keyByte), ProtocolExtension.NONE);
        c.send(new AccountHello(nickname, "test/1"));
        assertInstanceOf(Welcome.class, c.next(), nickname + " was not welcomed");
        return c;
    }

    /** An account that exists, whose client is online on node {@code node} with this id. */
    private void elsewhere(String nickname, int keyByte, int clientId, String node, boolean inRoom) {
        relay.relay.store().accounts().register(nickname, key(keyByte)).toCompletableFuture().join();
        cluster.remote.put(nickname, new ClientPresence(clientId, nickname, key(keyByte), node, inRoom));
    }

    private List<byte[]> storedFor(String account) {
        List<byte[]> out = new ArrayList<>();
        for (StoredMessage m : relay.relay.store().messages().fetch(account, 0, 100).toCompletableFuture().join()) {
            out.add(m.envelope());
        }
        return out;
    }

    private static boolean endsWith(byte[] whole, byte[] tail) {
        return whole.length >= tail.length
                && Arrays.equals(whole, whole.length - tail.length, whole.length, tail, 0, tail.length);
    }

    @Test
    void messagesToAnAccountOnAnotherNodeGoOneAtATimeAndAStoredOneIsNeverOvertaken() throws Exception {
        elsewhere("bob", 2, 100, "b", true);
        Conn alice = account("alice", 1);
        alice.drain();
        for (int i = 1; i <= 3; i++) {
            alice.send(new SendToAccount(i, "bob", text("m" + i)));
        }
        assertEquals(1, cluster.routes.size(), "one at a time");
        Route first = cluster.routes.get(0);
        assertEquals("b", first.node());
        assertEquals("bob", first.message().recipientAccount());
        assertEquals(0, first.message().lastStoredId());
        assertArrayEquals(new int[] {100}, first.message().recipientIds());
        assertArrayEquals(text("m1"), ((Envelope) MessageCodec.decode(first.message().encoded())).ciphertext());
        assertTrue(alice.drain().isEmpty(), "nothing answered before the route's outcome");

        // bob's node has not sent him what is stored for him yet: the first is stored, and the two behind it too.
        first.answer().complete(List.of(RouteOutcome.NOT_LIVE));
        relay.pump();
        assertEquals(List.of(new DeliveryReport(1, DeliveryState.STORED), new DeliveryReport(2, DeliveryState.STORED),
                new DeliveryReport(3, DeliveryState.STORED)), alice.drain());
        assertEquals(1, cluster.routes.size(), "the ones behind a refused one are stored, not routed");
        List<byte[]> stored = storedFor("bob");
        assertEquals(3, stored.size());
        for (int i = 0; i < 3; i++) {
            assertTrue(endsWith(stored.get(i), text("m" + (i + 1))), "stored in the order sent");
        }
        assertTrue(cluster.notified.contains("b:bob"), "bob's node is told to read the store");

        // The next one carries how far alice's messages were stored: bob's node writes it only once it sent that far.
        alice.send(new SendToAccount(4, "bob", text("m4")));
        assertEquals(2, cluster.routes.size());
        assertTrue(cluster.routes.get(1).message().lastStoredId() > 0);
    }

    @Test
    void aDeliveredRouteLetsTheNextOneGoAndAFailedOneIsStored() {
        elsewhere("bob", 2, 100, "b", true);
        Conn alice = account("alice", 1);
        alice.drain();
        alice.send(new SendToAccount(1, "bob", text("m1")));
        alice.send(new SendToAccount(2, "bob", text("m2")));
        cluster.routes.get(0).answer().complete(List.of(RouteOutcome.DELIVERED));
        relay.pump();
        assertEquals(List.of(new DeliveryReport(1, DeliveryState.DELIVERED)), alice.drain());
        assertEquals(2, cluster.routes.size(), "the second goes once the first is delivered");
        cluster.routes.get(1).answer().completeExceptionally(new IllegalStateException("backend lost"));
        relay.pump();
        assertEquals(List.of(new DeliveryReport(2, DeliveryState.STORED)), alice.drain(),
                "not carried: stored, never reported delivered");
        assertEquals(1, relay.relay.deadlines().size(), "an answered route's deadline is gone: the purge's is left");
    }

    @Test
    void aRoomMessageCountsItsMembersOnEveryNodeAndOneNodesFailureIsNotDelivered() {
        Conn alice = relay.admitted("alice", 1);
        Conn carol = relay.admitted("carol", 3);
        elsewhere("dave", 4, 100, "b", true);
        elsewhere("erin", 5, 101, "c", true);
        alice.drain();
        carol.drain();
        alice.send(new SendRoomEnvelope(1, new int[] {2, 100, 101}, text("room")));
        assertInstanceOf(RoomEnvelope.class, carol.next(), "carol, on alice's node, has it");
        assertEquals(2, cluster.routes.size(), "one route per node");
        for (Route r : cluster.routes) {
            assertArrayEquals(new int[] {r.node().equals("b") ? 100 : 101}, r.message().recipientIds());
            r.answer().complete(List.of(r.node().equals("b") ? RouteOutcome.DELIVERED : RouteOutcome.NOT_DELIVERED));
        }
        relay.pump();
        ErrorReply reply = assertInstanceOf(ErrorReply.class, alice.next());
        assertEquals(ErrorCode.INTERNAL_ERROR, reply.code());
        assertTrue(reply.detail().contains("not delivered to 1 of 3"), reply.detail());
    }

    @Test
    void aRouteNeverAnsweredIsReportedNotDeliveredAtItsDeadline() {
        cluster.timeout = Duration.ofMillis(20);
        Conn alice = relay.admitted("alice", 1);
        elsewhere("dave", 4, 100, "b", true);
        alice.drain();
        alice.send(new SendRoomEnvelope(1, new int[] {100}, text("room")));
        assertEquals(1, cluster.routes.size());
        relay.advance(Duration.ofMillis(19));
        assertNull(alice.next(), "no answer before the route's deadline, on the relay's clock");
        relay.advance(Duration.ofMillis(1));
        Message reply = alice.next();
        ErrorReply error = assertInstanceOf(ErrorReply.class, reply);
        assertEquals(ErrorCode.INTERNAL_ERROR, error.code());
        assertTrue(error.detail().contains("not delivered"), error.detail());
        assertEquals(1, relay.relay.deadlines().size(), "the route's deadline ran out: the purge's is left");
    }

    @Test
    void theListMergesEveryNodeByNicknameWithTheCountsOfTheCluster() {
        Conn alice = relay.admitted("alice", 1);
        relay.admitted("carol", 3);
        elsewhere("bob", 2, 100, "b", true);
        elsewhere("dave", 4, 101, "c", false);
        alice.drain();
        alice.send(new ListPageRequest(7, "", 3));
        ListPage page = assertInstanceOf(ListPage.class, alice.next());
        assertEquals(List.of("alice", "bob", "carol"), page.entries().stream()
                .map(e -> e.client().nickname()).toList());
        assertTrue(page.more());
        assertEquals(4, page.online());
        assertEquals(3, page.roomMembers());
        alice.send(new ListPageRequest(8, "carol", 3));
        ListPage rest = assertInstanceOf(ListPage.class, alice.next());
        assertEquals(List.of("dave"), rest.entries().stream().map(e -> e.client().nickname()).toList());
        assertTrue(!rest.entries().get(0).inRoom());
    }

    @Test
    void aMessageRoutedHereForAnAccountWaitsForWhatIsStoredFirst() throws Exception {
        Conn bob = account("bob", 2);
        bob.drain();
        ClusterInbound<Conn> node = new ClusterInbound<>(relay.relay);
        int bobId = relay.relay.registry().byNickname("bob").orElseThrow().clientId();
        byte[] live = MessageCodec.encode(new Envelope(100, text("live")));
        // alice, on node b, had a message stored for bob (id 10^15) that bob has not been sent: not live.
        CompletableFuture<List<RouteOutcome>> refused = node.deliver(new RoutedMessage("b", 100, new int[] {bobId},
                "bob", 1_000_000_000_000_000L, live)).toCompletableFuture();
        relay.pump();
        assertEquals(List.of(RouteOutcome.NOT_LIVE), refused.join());
        assertTrue(bob.drain().isEmpty());
        CompletableFuture<List<RouteOutcome>> written = node.deliver(new RoutedMessage("b", 100, new int[] {bobId},
                "bob", 0, live)).toCompletableFuture();
        relay.pump();
        assertEquals(List.of(RouteOutcome.DELIVERED), written.join());
        assertArrayEquals(text("live"), assertInstanceOf(Envelope.class, bob.next()).ciphertext());
        CompletableFuture<List<RouteOutcome>> gone = node.deliver(new RoutedMessage("b", 100, new int[] {999},
                "", 0, live)).toCompletableFuture();
        assertEquals(List.of(RouteOutcome.RECIPIENT_GONE), gone.join());
    }

    @Test
    void aRoutedMessageGoesThroughTheRecipientsFairQueueAsItsSendersAndAFullShareRefusesOnlyThatSender() {
        Conn bob = relay.admitted("bob", 2);
        bob.drain();
        ClusterInbound<Conn> node = new ClusterInbound<>(relay.relay);
        int bobId = relay.relay.registry().byNickname("bob").orElseThrow().clientId();
        byte[] encoded = MessageCodec.encode(new Envelope(100, text("hi")));
        // dave (client 100 on node b) has filled his share of bob's queue; erin (client 101 on node c) has not.
        bob.fullShares.add(new RemoteSender("b", 100));
        CompletableFuture<List<RouteOutcome>> fromDave = node.deliver(new RoutedMessage("b", 100, new int[] {bobId},
                "", 0, encoded)).toCompletableFuture();
        CompletableFuture<List<RouteOutcome>> fromErin = node.deliver(new RoutedMessage("c", 101, new int[] {bobId},
                "", 0, MessageCodec.encode(new Envelope(101, text("hello"))))).toCompletableFuture();
        relay.pump();
        assertEquals(List.of(new RemoteSender("b", 100), new RemoteSender("c", 101)), bob.routedFrom,
                "each written as its own sender's, by node and client id");
        assertEquals(List.of(RouteOutcome.RECIPIENT_TOO_SLOW), fromDave.join(), "dave's is refused to dave");
        assertEquals(List.of(RouteOutcome.DELIVERED), fromErin.join());
        assertEquals(List.of(new Envelope(101, text("hello"))), bob.drain(), "erin's reaches bob, who stays");
    }

    /** The answer to a bundle request, skipping the notices in between. */
    private static Message bundleAnswer(Conn c) {
        for (Message m = c.next(); m != null; m = c.next()) {
            if (m instanceof PreKeyBundleResponse || m instanceof AccountBundle || m instanceof ErrorReply) {
                return m;
            }
        }
        throw new AssertionError("no answer to the bundle request");
    }

    private Conn accountWithKey(String nickname, IdentityKeyPair id) {
        Conn c = relay.established(id.publicKey().agreementKey(), ProtocolExtension.NONE);
        c.send(new AccountHello(nickname, "test/1"));
        assertInstanceOf(Welcome.class, c.next(), nickname + " was not welcomed");
        return c;
    }

    private static PreKeyUpload upload(IdentityKeyPair id, int oneTime) {
        return PreKeys.prepareUpload(new InMemoryProtocolStore(id), oneTime, 1, Clock.systemUTC(), RANDOM);
    }

    private int oneTimeLeft(String account) {
        return relay.relay.store().preKeys().count(account).toCompletableFuture().join().orElseThrow()
                .count(PreKeyKind.ONE_TIME);
    }

    @Test
    void aBundleOfAClientOnAnotherNodeCarriesAOneTimePreKeyFromTheStoreOnceAndItsNodeIsToldTheCount()
            throws Exception {
        IdentityKeyPair bobId = IdentityKeyPair.generate(RANDOM);
        byte[] bobKey = bobId.publicKey().agreementKey();
        relay.relay.store().accounts().register("bob", bobKey).toCompletableFuture().join();
        relay.relay.store().preKeys().publish("bob", StoredRecords.records(PreKeyUpload
                .decodeWithoutVerifyingSignatures(upload(bobId, 3).encode()))).toCompletableFuture().join();
        cluster.remote.put("bob", new ClientPresence(100, "bob", bobKey, "b", true));
        Conn alice = account("alice", 1);
        Conn carol = account("carol", 3);
        alice.drain();
        carol.drain();

        alice.send(new PreKeyBundleRequest(1, 100));
        carol.send(new AccountBundleRequest(2, "bob"));
        relay.pump();
        PreKeyBundle toAlice = PreKeyBundle.decode(assertInstanceOf(PreKeyBundleResponse.class,
                bundleAnswer(alice)).bundle());
        PreKeyBundle toCarol = PreKeyBundle.decode(assertInstanceOf(AccountBundle.class, bundleAnswer(carol))
                .bundle());
        assertTrue(toAlice.oneTime().isPresent() && toCarol.oneTime().isPresent(), "each with a one-time pre-key");
        assertTrue(toAlice.oneTime().get().id() != toCarol.oneTime().get().id(), "never the same one twice");
        assertEquals(1, oneTimeLeft("bob"), "taken from the store, which holds the rest");

        // bob's node is told, for bob, how many he has left: as a message routed to him.
        List<PreKeyCount> told = new ArrayList<>();
        for (Route r : cluster.routes) {
            assertEquals("b", r.node());
            assertArrayEquals(new int[] {100}, r.message().recipientIds());
            told.add(assertInstanceOf(PreKeyCount.class, MessageCodec.decode(r.message().encoded())));
        }
        assertEquals(2, told.size());
        assertEquals(1, told.get(1).remaining(), told.toString());
    }

    @Test
    void inAClusterABundleOfAClientOnThisNodeComesFromTheStoreTooSoNoNodeHandsOutAKeyTwice() throws Exception {
        IdentityKeyPair bobId = IdentityKeyPair.generate(RANDOM);
        Conn bob = accountWithKey("bob", bobId);
        bob.send(new UploadPreKeys(1, upload(bobId, 2).encode()));
        assertEquals(new Delivered(1), bob.next());
        relay.pump();
        assertEquals(2, oneTimeLeft("bob"), "published to the store");
        Conn alice = account("alice", 1);
        alice.drain();
        bob.drain();
        int bobId2 = relay.relay.registry().byNickname("bob").orElseThrow().clientId();
        // Another node took one of them meanwhile, from the store: this node must not hand it out again.
        int takenElsewhere = relay.relay.store().preKeys().take("bob", Set.of(PreKeyKind.ONE_TIME))
                .toCompletableFuture().join().orElseThrow().record(PreKeyKind.ONE_TIME).orElseThrow().keyId();
        alice.send(new PreKeyBundleRequest(2, bobId2));
        relay.pump();
        PreKeyBundle bundle = PreKeyBundle.decode(assertInstanceOf(PreKeyBundleResponse.class, bundleAnswer(alice))
                .bundle());
        assertTrue(bundle.oneTime().isPresent());
        assertTrue(bundle.oneTime().get().id() != takenElsewhere, "the key another node handed out is not reused");
        assertEquals(0, oneTimeLeft("bob"));
        assertEquals(List.of(new PreKeyCount(0, 0)), bob.drain().stream().filter(PreKeyCount.class::isInstance)
                .toList(), "bob is told he has none left, and replenishes");
        assertTrue(cluster.routes.isEmpty(), "bob is here: nothing routed");
    }

    /** One route the relay asked for, which the test answers. */
    record Route(String node, RoutedMessage message, CompletableFuture<List<RouteOutcome>> answer) {}

    /** A cluster whose other nodes are what the test says, and whose routes the test answers by hand. */
    static final class Scripted implements RelayCluster {
        final Map<String, ClientPresence> remote = new ConcurrentSkipListMap<>();
        final List<Route> routes = new CopyOnWriteArrayList<>();
        final List<String> notified = new CopyOnWriteArrayList<>();
        final AtomicInteger ids = new AtomicInteger(1);
        volatile Duration timeout = Duration.ofMinutes(1);

        @Override
        public String nodeId() {
            return "a";
        }

        @Override
        public void attach(ClusterNode node) {
            // the test calls ClusterInbound itself
        }

        @Override
        public int nextClientId() {
            return ids.getAndIncrement();
        }

        @Override
        public CompletionStage<JoinResult> join(ClientPresence client, int roomLimit) {
            return CompletableFuture.completedFuture(new JoinResult.Joined(client.inRoom()));
        }

        @Override
        public void leave(ClientPresence client, LeaveReason reason) {
            // nothing to tell
        }

        @Override
        public Optional<ClientPresence> findById(int clientId) {
            return remote.values().stream().filter(p -> p.clientId() == clientId).findFirst();
        }

        @Override
        public Optional<ClientPresence> findByNickname(String canonicalNickname) {
            return Optional.ofNullable(remote.get(canonicalNickname));
        }

        @Override
        public List<ClientPresence> page(String afterCanonical, int maxEntries) {
            return remote.values().stream().filter(p -> p.canonicalNickname().compareTo(afterCanonical) > 0)
                    .limit(maxEntries + 1L).toList();
        }

        @Override
        public int onlineElsewhere() {
            return remote.size();
        }

        @Override
        public List<ClientPresence> roomMembersElsewhere() {
            return remote.values().stream().filter(ClientPresence::inRoom).toList();
        }

        @Override
        public CompletionStage<List<RouteOutcome>> route(String nodeId, RoutedMessage message) {
            CompletableFuture<List<RouteOutcome>> answer = new CompletableFuture<>();
            routes.add(new Route(nodeId, message, answer));
            return answer;
        }

        @Override
        public void notifyStored(String nodeId, String account) {
            notified.add(nodeId + ":" + account);
        }

        @Override
        public ClusterHealth health() {
            return ClusterHealth.OK;
        }

        @Override
        public Duration presenceExpiry() {
            return Duration.ofSeconds(15);
        }

        @Override
        public Duration routeTimeout() {
            return timeout;
        }

        @Override
        public void close() {
            // nothing held
        }
    }
}
