package io.securecomm.internal.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClientException;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.HandshakeFailedException;
import io.securecomm.client.MessageRejectedException;
import io.securecomm.client.NicknameRejectedException;
import io.securecomm.client.NotConnectedException;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.PeerIdentity;
import io.securecomm.client.PeerIdentityChangedException;
import io.securecomm.client.PeerKeysRejectedException;
import io.securecomm.client.RelayClosedException;
import io.securecomm.client.RelayFullException;
import io.securecomm.client.RelayKeyDecision;
import io.securecomm.client.RelayTimeoutException;
import io.securecomm.client.RoomPolicy;
import io.securecomm.client.Session;
import io.securecomm.client.UnknownRecipientException;
import io.securecomm.e2e.PendingRoomMessages;
import io.securecomm.e2e.PreKeys;
import io.securecomm.e2e.SafetyNumber;
import io.securecomm.e2e.SessionSetup;
import io.securecomm.e2e.SignedKemPreKey;
import io.securecomm.internal.client.ClientHarness.Client;
import io.securecomm.relay.RelayOptions;
import io.securecomm.testing.CountingProtocolStore;
import io.securecomm.wire.AccountHello;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ClientList;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.Envelope;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.LeaveReason;
import io.securecomm.wire.ListRequest;
import io.securecomm.wire.MalformedMessageException;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageType;
import io.securecomm.wire.PreKeyBundleResponse;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendRoomEnvelope;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * The chat client's behaviour without sockets: {@link ClientSession}s pumped against the relay's sessions in memory
 * ({@link ClientHarness}), end-to-end layer included, with time moved by hand.
 */
class ClientSessionTest {
    private final ClientHarness net = new ClientHarness();

    private static Throwable failure(CompletableFuture<?> f) {
        assertTrue(f.isCompletedExceptionally(), () -> "expected a failure, got " + f);
        return assertThrows(ExecutionException.class, f::get).getCause();
    }

    private static <T> T value(CompletableFuture<T> f) throws Exception {
        assertTrue(f.isDone() && !f.isCompletedExceptionally(), () -> "expected a value, got " + f);
        return f.get();
    }

    private static List<ChatMessage> messages(Client c) {
        return c.events(ClientEvent.MessageReceived.class).stream().map(ClientEvent.MessageReceived::message).toList();
    }

    // ---------------------------------------------------------------- connecting

    @Test
    void connectingSaysHelloPublishesPreKeysThenLearnsWhoIsOnline() throws Exception {
        Client bob = net.connected("bob");
        Client alice = net.client("alice");
        CompletableFuture<Session> connecting = alice.connect();
        Session session = value(connecting);
        assertEquals(2, session.clientId());
        assertEquals("alice", session.nickname());
        assertEquals("relay under test", session.serverInfo());
        assertArrayEquals(ClientHarness.RELAY_KEY, session.relayIdentityKey());
        assertEquals(RelayKeyDecision.MATCHES_PIN, session.trust());
        assertTrue(alice.session.isConnected());
        // Two uploads: the pre-keys with their ML-KEM ones do not fit one relay frame (PreKeys.UPLOAD_MAX_BYTES).
        assertEquals(List.of(MessageType.ACCOUNT_HELLO, MessageType.UPLOAD_PRE_KEYS, MessageType.UPLOAD_PRE_KEYS,
                MessageType.LIST_REQUEST), alice.sent.stream().limit(4).map(Message::type).toList());
        assertEquals(ClientSession.CLIENT_VERSION, ((AccountHello) alice.sent.get(0)).clientVersion());
        // Connected, alice hands her room key to bob, who was already there; bob hears of alice.
        assertEquals(List.of(new ClientEvent.Joined(new OnlineClient(2, "alice",
                alice.options.identity().publicKey()))), bob.events(ClientEvent.Joined.class));
        assertEquals("alice", bob.events(ClientEvent.RoomKeyChanged.class).get(0).member().nickname());
        assertEquals("bob", alice.events(ClientEvent.RoomKeyShared.class).get(0).member().peer());
        assertTrue(alice.events(ClientEvent.Joined.class).isEmpty(), "who was there before is no join");
    }

    /**
     * Issue 18: a client reports every member it hands its room key to ({@code onRoomKeyShared}); computing each
     * report's safety number there (5,200 SHA-512 rounds per party) cost each client of a 100-member room a second
     * of its own thread, which starved its keep-alive replies until the relay ended its session as idle. The report
     * computes none until the application asks, and then the one both sides compute.
     */
    @Test
    void reportingANewReaderOfTheRoomKeyComputesNoSafetyNumberUntilAskedFor() throws Exception {
        Client bob = net.connected("bob");
        Client carol = net.connected("carol");
        Client alice = net.connected("alice");
        List<PeerIdentity> readers = alice.events(ClientEvent.RoomKeyShared.class).stream()
                .map(ClientEvent.RoomKeyShared::member).toList();
        assertEquals(List.of("bob", "carol"), readers.stream().map(PeerIdentity::peer).sorted().toList());
        ClientE2e e2e = (ClientE2e) alice.session.chatLayer();
        assertEquals(0, e2e.safetyNumbersComputed(), "no safety number on the client's thread for a report");

        PeerIdentity bobAsReader = readers.stream().filter(r -> r.peer().equals("bob")).findFirst().orElseThrow();
        SafetyNumber shown = bobAsReader.safetyNumber();
        assertEquals(1, e2e.safetyNumbersComputed());
        assertEquals(SafetyNumber.of(bob.options.protocolStore().identityKeyPair().publicKey(), "bob",
                alice.options.protocolStore().identityKeyPair().publicKey(), "alice"), shown,
                "the number bob computes for alice");
        assertEquals(shown, bobAsReader.safetyNumber());
        assertEquals(Optional.empty(), bobAsReader.pendingSafetyNumber());
        assertEquals(1, e2e.safetyNumbersComputed(), "computed once");
        assertTrue(carol.session.isConnected());
    }

    @Test
    void theHandshakeAndWelcomeHaveADeadlineOnTheClock() {
        Client alice = net.client("alice");
        CompletableFuture<Session> f = new CompletableFuture<>();
        alice.session.connect(f);
        alice.transportUp(); // the relay never completes the handshake
        net.advance(ChatClientOptions.DEFAULT_HANDSHAKE_TIMEOUT.minusMillis(1));
        assertFalse(f.isDone());
        net.advance(Duration.ofMillis(1));
        HandshakeFailedException e = assertInstanceOf(HandshakeFailedException.class, failure(f));
        assertTrue(e.getMessage().contains("did not complete the handshake and welcome within 10000 ms"),
                e.getMessage());
        assertTrue(alice.session.isEnded());
        assertTrue(alice.events.isEmpty(), "never connected: no onDisconnected");
        assertThrows(IllegalStateException.class, () -> alice.session.connect(new CompletableFuture<>()));
    }

    @Test
    void aRelayRefusalBeforeTheWelcomeFailsTheConnectWithTheMappedException() {
        net.connected("alice");
        CompletableFuture<Session> taken = net.client("ALICE").connect();
        NicknameRejectedException e = assertInstanceOf(NicknameRejectedException.class, failure(taken));
        assertEquals("ALICE", e.nickname());
        // Another identity: alice's account refuses it (#16), whether alice is online or not.
        assertEquals(NicknameRejectedException.Reason.REGISTERED, e.reason());
        NicknameRejectedException lookAlike = assertInstanceOf(NicknameRejectedException.class,
                failure(net.client("aIice").connect()));
        assertEquals(NicknameRejectedException.Reason.TAKEN, lookAlike.reason());

        // A full relay is not about the nickname: its own type.
        ClientHarness full = new ClientHarness(RelayOptions.builder().maxClients(1));
        full.connected("alice");
        RelayFullException relayFull = assertInstanceOf(RelayFullException.class, failure(full.client("bob")
                .connect()));
        assertTrue(relayFull.getMessage().contains("admits no more clients"), relayFull.getMessage());
    }

    @Test
    void aMalformedMessageEndsTheAttemptButOnlyIsReportedOnceConnected() {
        Client alice = net.client("alice");
        alice.fromRelay = m -> m.type() == MessageType.WELCOME ? List.of() : List.of(m);
        CompletableFuture<Session> f = new CompletableFuture<>();
        alice.session.connect(f);
        alice.transportUp();
        alice.handshakeDone();
        alice.session.handleMalformed(new MalformedMessageException(MalformedMessageException.Reason.TRUNCATED, 3,
                "cut short"));
        net.pump();
        assertInstanceOf(MessageRejectedException.class, failure(f));

        Client bob = net.connected("bob");
        bob.session.handleMalformed(new MalformedMessageException(MalformedMessageException.Reason.TRUNCATED, 3,
                "cut short"));
        net.pump();
        assertTrue(bob.session.isConnected());
        assertInstanceOf(MessageRejectedException.class, bob.events(ClientEvent.Error.class).get(0).error());
    }

    // ---------------------------------------------------------------- requests

    @Test
    void listAnswersEveryoneInIdOrder() throws Exception {
        Client alice = net.connected("alice");
        net.connected("bob");
        List<OnlineClient> online = value(alice.list());
        assertEquals(List.of("alice", "bob"), online.stream().map(OnlineClient::nickname).toList());
    }

    @Test
    void aRequestTheRelayNeverAnswersTimesOutOnTheClock() {
        Client alice = net.connected("alice");
        alice.toRelay = m -> m instanceof ListRequest ? List.of() : List.of(m);
        CompletableFuture<List<OnlineClient>> list = alice.list();
        net.advance(ChatClientOptions.DEFAULT_REQUEST_TIMEOUT.minusMillis(1));
        assertFalse(list.isDone());
        net.advance(Duration.ofMillis(1));
        RelayTimeoutException e = assertInstanceOf(RelayTimeoutException.class, failure(list));
        assertTrue(e.getMessage().contains("did not answer the list within 30000 ms"), e.getMessage());
        assertTrue(alice.session.isConnected(), "a timeout fails the request, not the session");
    }

    @Test
    void anAnswerOfTheWrongTypeFailsItsRequest() {
        Client alice = net.connected("alice");
        alice.toRelay = m -> m instanceof ListRequest ? List.of() : List.of(m);
        CompletableFuture<List<OnlineClient>> list = alice.list();
        long id = ((ListRequest) alice.sent.get(alice.sent.size() - 1)).requestId();
        alice.session.handleMessage(new Delivered(id));
        net.pump();
        MessageRejectedException e = assertInstanceOf(MessageRejectedException.class, failure(list));
        assertTrue(e.getMessage().contains("answered the list with DELIVERED"), e.getMessage());
    }

    @Test
    void commandsBeforeConnectAndAfterTheEndFailWithWhy() throws Exception {
        Client alice = net.client("alice");
        assertInstanceOf(NotConnectedException.class, failure(alice.list()));
        net.connected(alice);
        alice.session.close();
        net.pump();
        NotConnectedException closed = assertInstanceOf(NotConnectedException.class,
                failure(alice.sendPublic("late")));
        assertEquals("the client was closed", closed.getMessage());
    }

    // ---------------------------------------------------------------- chat

    @Test
    void aPrivateMessageTravelsEndToEndAndTheRelaySeesOnlyCiphertext() throws Exception {
        Client alice = net.connected("alice");
        Client bob = net.connected("bob");
        value(alice.sendPrivate("BOB", "hello bob"));
        assertEquals(List.of(new ChatMessage(1, "alice", "hello bob", true)), messages(bob));
        SendEnvelope envelope = alice.sent.stream().filter(SendEnvelope.class::isInstance).map(SendEnvelope.class::cast)
                .reduce((a, b) -> b).orElseThrow();
        assertFalse(new String(envelope.ciphertext(), StandardCharsets.UTF_8).contains("hello bob"));
        value(bob.sendPrivate(1, "hi alice"));
        assertEquals(List.of(new ChatMessage(2, "bob", "hi alice", true)), messages(alice));
        assertInstanceOf(UnknownRecipientException.class, failure(alice.sendPrivate("carol", "?")));
        assertInstanceOf(UnknownRecipientException.class, failure(alice.sendPrivate(9, "?")));
    }

    @Test
    void aRoomMessageIsEncryptedOnceForEveryMember() throws Exception {
        Client alice = net.connected("alice");
        Client bob = net.connected("bob");
        Client carol = net.connected("carol");
        value(alice.sendPublic("hello room"));
        ChatMessage expected = new ChatMessage(1, "alice", "hello room", false);
        assertEquals(List.of(expected), messages(bob));
        assertEquals(List.of(expected), messages(carol));
        assertTrue(messages(alice).isEmpty(), "never back to the sender");
        SendRoomEnvelope room = alice.sent.stream().filter(SendRoomEnvelope.class::isInstance)
                .map(SendRoomEnvelope.class::cast).findFirst().orElseThrow();
        assertArrayEquals(new int[] {2, 3}, room.recipientIds());
        assertEquals(1, net.relay.listened.stream().filter(l -> l.startsWith("~1 room")).count(), "one ciphertext");
    }

    @Test
    void joinsAndLeavesAreReportedWithTheirReason() {
        Client alice = net.connected("alice");
        Client bob = net.connected("bob");
        Client carol = net.connected("carol");
        bob.session.close();
        net.pump();
        carol.crash();
        List<ClientEvent.Left> left = alice.events(ClientEvent.Left.class);
        assertEquals(List.of("bob", "carol"), left.stream().map(l -> l.client().nickname()).toList());
        assertEquals(List.of(LeaveReason.BYE, LeaveReason.DISCONNECTED), left.stream().map(ClientEvent.Left::reason)
                .toList());
        assertEquals(List.of("left", "disconnected"), left.stream().map(l -> l.reason().description()).toList());
        // bob said goodbye and heard of it last; carol's end was not hers to choose.
        assertEquals(ByeReason.CLIENT_EXIT, ((Bye) bob.sent.get(bob.sent.size() - 1)).reason());
        assertInstanceOf(NotConnectedException.class, lastEvent(bob, ClientEvent.Disconnected.class).cause());
        RelayClosedException lost = assertInstanceOf(RelayClosedException.class,
                lastEvent(carol, ClientEvent.Disconnected.class).cause());
        assertEquals(RelayClosedException.Reason.CONNECTION_LOST, lost.reason());
    }

    @Test
    void anEnvelopeThatArrivesBeforeTheFirstListIsReadOnceConnected() throws Exception {
        Client alice = net.connected("alice");
        Client bob = net.connected("bob");
        value(alice.sendPrivate("bob", "one")); // a session exists
        bob.crash();
        // bob comes back with the same store; alice writes the moment she sees him join, before his list is back.
        Client bob2 = net.client("bob", b -> b.protocolStore(bob.store()));
        List<Message> held = new ArrayList<>();
        bob2.fromRelay = m -> {
            if (m instanceof ClientList) {
                held.add(m);
                return List.of();
            }
            return List.of(m);
        };
        CompletableFuture<Session> connecting = bob2.connect();
        CompletableFuture<?> sent = alice.sendPrivate("bob", "two");
        value(sent);
        assertFalse(connecting.isDone());
        assertTrue(bob2.events.isEmpty(), "nothing is shown before connect() completes");
        held.forEach(bob2.session::handleMessage);
        net.pump();
        value(connecting);
        assertEquals(List.of(new ChatMessage(1, "alice", "two", true)), messages(bob2));
    }

    @Test
    void aChangedIdentityIsWarnedAboutAndSendingWaitsForTheUsersDecision() throws Exception {
        Client alice = net.connected("alice");
        Client bob = net.connected("bob");
        value(alice.sendPrivate("bob", "before"));
        bob.crash();
        net.releaseAccount("bob"); // a new identity takes the nickname once its account is released (#16)
        Client newBob = net.connected("bob"); // a new identity under the same nickname
        PeerIdentityChangedException change = assertInstanceOf(PeerIdentityChangedException.class,
                failure(alice.sendPrivate("bob", "after")));
        assertEquals("bob", change.peer());
        PeerIdentityChangedException warned = alice.events(ClientEvent.IdentityChanged.class).get(0).change();
        assertEquals(change.newFingerprint(), warned.newFingerprint());
        assertTrue(messages(newBob).isEmpty(), "nothing reached the new key");
        assertFalse(value(alice.<Boolean>call((s, f) -> s.commands().rejectNewIdentity("nobody", f))));
        assertTrue(value(alice.<Boolean>call((s, f) -> s.commands().trustNewIdentity("bob",
                SafetyNumber.parse(change.safetyNumber()), f))));
        value(alice.sendPrivate("bob", "after"));
        assertEquals(List.of(new ChatMessage(1, "alice", "after", true)), messages(newBob));
    }

    @Test
    void aRelayOlderThanPqxdhRefusesTheUploadAndTheConnectSaysToUpgradeIt() {
        Client alice = net.client("alice");
        // What a relay of the X3DH era answers to a version 2 upload.
        alice.fromRelay = m -> m instanceof Delivered d && d.requestId() == 1
                ? List.of(new ErrorReply(1, ErrorCode.INVALID_PRE_KEYS, "pre-keys refused: pre-key upload version 2"
                        + " is not 1"))
                : List.of(m);
        HandshakeFailedException e = assertInstanceOf(HandshakeFailedException.class, failure(alice.connect()));
        assertTrue(e.getMessage().contains("older than post-quantum session set-up (PQXDH)")
                && e.getMessage().contains("upgrade the relay"), e.getMessage());
    }

    @Test
    void theApiShowsThatTheSessionIsPostQuantumProtected() throws Exception {
        Client alice = net.connected("alice");
        Client bob = net.connected("bob");
        PeerIdentity before = value(alice.<PeerIdentity>call((s, f) -> s.commands().peerIdentity("bob", f)));
        assertEquals(Optional.of(SessionSetup.PQXDH), before.sessionSetup(), "looking bob up set up the session");
        value(alice.sendPrivate("bob", "hello"));
        assertTrue(value(alice.<PeerIdentity>call((s, f) -> s.commands().peerIdentity("bob", f))).postQuantum());
        assertTrue(value(bob.<PeerIdentity>call((s, f) -> s.commands().peerIdentity("alice", f))).postQuantum());
    }

    @Test
    void aBundleWhoseKemPreKeyTheRelayStrippedIsRefusedAndNothingIsSent() throws Exception {
        // Under the verified-only room policy no room key goes out, so alice's first message sets up the session.
        Client alice = net.connected(net.client("alice", b -> b.roomPolicy(RoomPolicy.VERIFIED)));
        Client bob = net.connected(net.client("bob", b -> b.roomPolicy(RoomPolicy.VERIFIED)));
        // A hostile relay re-encodes bob's bundle as a version 1 (X3DH) bundle, without its ML-KEM pre-key.
        alice.fromRelay = m -> m instanceof PreKeyBundleResponse r
                ? List.of(new PreKeyBundleResponse(r.requestId(), r.clientId(), withoutKemPreKey(r.bundle())))
                : List.of(m);
        PeerKeysRejectedException e = assertInstanceOf(PeerKeysRejectedException.class,
                failure(alice.sendPrivate("bob", "would be X3DH only")));
        assertTrue(e.getMessage().contains("no ML-KEM pre-key"), e.getMessage());
        assertEquals(0, count(alice.sent, MessageType.SEND_ENVELOPE), "nothing was encrypted, nothing sent");
        assertTrue(messages(bob).isEmpty());
        alice.fromRelay = List::of;
        value(alice.sendPrivate("bob", "over PQXDH"));
        assertEquals(List.of(new ChatMessage(1, "alice", "over PQXDH", true)), messages(bob));
    }

    /** A version 2 bundle re-encoded as version 1: the same fields without the 1638-byte KEM pre-key. */
    private static byte[] withoutKemPreKey(byte[] v2) {
        int signedEnd = 1 + 128 + 4 + 32 + 64;
        byte[] v1 = new byte[v2.length - SignedKemPreKey.ENCODED_BYTES];
        v1[0] = 1;
        System.arraycopy(v2, 1, v1, 1, signedEnd - 1);
        System.arraycopy(v2, signedEnd + SignedKemPreKey.ENCODED_BYTES, v1, signedEnd, v1.length - signedEnd);
        return v1;
    }

    @Test
    void aRoomMessageWhoseKeyNeverArrivesIsReportedWhenItsTimeIsUp() throws Exception {
        Client alice = net.connected("alice");
        Client bob = net.client("bob");
        // The relay drops every pairwise envelope from alice to bob: her room key never reaches him.
        bob.fromRelay = m -> m instanceof Envelope e && e.senderId() == 1 ? List.of() : List.of(m);
        net.connected(bob);
        value(alice.sendPublic("unreadable"));
        assertTrue(bob.events(ClientEvent.Undecryptable.class).isEmpty(), "held for its key");
        net.advance(PendingRoomMessages.DEFAULT_MAX_AGE);
        assertTrue(bob.events(ClientEvent.Undecryptable.class).isEmpty(), "held until the age has passed");
        net.advance(Duration.ofMillis(1));
        var reported = bob.events(ClientEvent.Undecryptable.class);
        assertEquals(1, reported.size());
        assertTrue(reported.get(0).error().getMessage().contains("TIMED_OUT"), reported.get(0).error().getMessage());
        assertTrue(messages(bob).isEmpty());
    }

    @Test
    void theSignedPreKeyIsRotatedWhileConnectedOnTheClock() {
        Client alice = net.connected("alice");
        int uploads = count(alice.sent, MessageType.UPLOAD_PRE_KEYS);
        List<Integer> before = alice.store().signedPreKeyIds();
        net.advance(PreKeys.SIGNED_PRE_KEY_ROTATION.plus(PreKeyMaintenance.SIGNED_PRE_KEY_CHECK_PERIOD));
        assertEquals(uploads + 1, count(alice.sent, MessageType.UPLOAD_PRE_KEYS));
        assertFalse(alice.store().signedPreKeyIds().containsAll(before) && alice.store().signedPreKeyIds().size()
                == before.size(), "a new signed pre-key");
        assertTrue(alice.events(ClientEvent.Error.class).isEmpty(), () -> "the relay took it: " + alice.events);
    }

    // ---------------------------------------------------------------- the end

    @Test
    void theRelaysGoodbyeEndsTheSessionAndFailsWhatIsPending() {
        Client alice = net.connected("alice");
        alice.toRelay = m -> m instanceof ListRequest ? List.of() : List.of(m);
        CompletableFuture<List<OnlineClient>> pending = alice.list();
        net.relay.shutDown();
        net.pump();
        RelayClosedException e = assertInstanceOf(RelayClosedException.class, failure(pending));
        assertTrue(e.getMessage().contains("SERVER_SHUTDOWN"), e.getMessage());
        assertEquals(RelayClosedException.Reason.RELAY_SHUTTING_DOWN, e.reason());
        ClientEvent last = alice.events.get(alice.events.size() - 1);
        assertEquals(new ClientEvent.Disconnected(e), last, "the end is told last, with the same cause");
        assertFalse(alice.session.isConnected());
    }

    @Test
    void closingSaysGoodbyeAndFailsWhatIsPendingWithNotConnected() {
        Client alice = net.connected("alice");
        alice.toRelay = m -> m instanceof ListRequest ? List.of() : List.of(m);
        CompletableFuture<List<OnlineClient>> pending = alice.list();
        alice.session.close();
        alice.session.close(); // idempotent
        net.pump();
        ChatClientException cause = assertInstanceOf(NotConnectedException.class, failure(pending));
        assertEquals(List.of(new ClientEvent.Disconnected(cause)), alice.events(ClientEvent.Disconnected.class));
        assertEquals(MessageType.BYE, alice.sent.get(alice.sent.size() - 1).type());
        assertEquals(List.of("+1 alice", "-1 alice LEFT"), net.relay.listened);
    }

    // ---------------------------------------------------------------- the store

    @Test
    void aSendOverAnEstablishedSessionLoadsNoSessionRecord() throws Exception {
        CountingProtocolStore store = new CountingProtocolStore();
        Client alice = net.connected(net.client("alice", b -> b.protocolStore(store)));
        Client bob = net.connected("bob");
        value(alice.sendPrivate("bob", "one"));
        value(bob.sendPrivate("alice", "reply"));
        store.reset();
        value(alice.sendPrivate("bob", "two"));
        // Before the session cipher kept its record: 3 session loads (and decodes) per send, and 5 trust reads.
        assertEquals(0, store.sessionLoads.get(), "the record is kept in memory");
        assertEquals(1, store.sessionStores.get(), "the advanced ratchet is stored before the ciphertext leaves");
        assertEquals(4, store.trustLoads.get(), "the trust entry is read, as the user may change it any time");
        assertEquals(List.of("reply"), messages(alice).stream().map(ChatMessage::text).toList());
    }

    private static int count(List<Message> sent, MessageType type) {
        return (int) sent.stream().filter(m -> m.type() == type).count();
    }

    private static <E extends ClientEvent> E lastEvent(Client c, Class<E> kind) {
        List<E> all = c.events(kind);
        assertFalse(all.isEmpty(), () -> c + " had no " + kind.getSimpleName() + ": " + c.events);
        return all.get(all.size() - 1);
    }
}
