package io.securecomm.internal.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.internal.relay.RelayHarness.Conn;
import io.securecomm.relay.RelayOptions;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.ClientInfo;
import io.securecomm.wire.ClientList;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.Envelope;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Joined;
import io.securecomm.wire.LeaveReason;
import io.securecomm.wire.Left;
import io.securecomm.wire.ListRequest;
import io.securecomm.wire.MalformedMessageException;
import io.securecomm.wire.Message;
import io.securecomm.wire.Ping;
import io.securecomm.wire.Pong;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.RoomEnvelope;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendPrivate;
import io.securecomm.wire.SendPublic;
import io.securecomm.wire.SendRoomEnvelope;
import io.securecomm.wire.UploadPreKeys;
import io.securecomm.wire.Welcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The relay's per-connection logic without sockets: several {@link RelaySession}s against one shared
 * {@link RelayState}, pumped by {@link RelayHarness}, with time moved by hand.
 */
class RelaySessionTest {
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final RelayHarness relay = new RelayHarness(RelayOptions.builder().maxClients(3)
            .handshakeTimeout(HANDSHAKE_TIMEOUT));

    private static Disconnect disconnect(ByeReason reason) {
        return new Disconnect(reason, "the limit's words");
    }

    // ---------------------------------------------------------------- admission

    @Test
    void helloIsWelcomedAndAnnouncedToOthers() {
        Conn alice = relay.admitted("alice", 1);
        Conn bob = relay.admitted("bob", 2);
        ClientInfo joined = assertInstanceOf(Joined.class, alice.next()).client();
        assertEquals(2, joined.clientId());
        assertEquals("bob", joined.nickname());
        assertEquals(2, joined.identityKey()[0], "the key from the handshake");
        assertNull(bob.next(), "no self-announcement");
        assertEquals(List.of("+1 alice", "+2 bob"), relay.listened);
    }

    @Test
    void refusedHellosGetTheirCodeAndAClose() {
        relay.admitted("alice", 1);
        Conn taken = relay.established(2);
        taken.send(new ClientHello("ALICE", "t"));
        assertEquals(ErrorCode.NICKNAME_TAKEN, ((ErrorReply) taken.next()).code());
        assertFalse(taken.isOpen());
        Conn invalid = relay.established(3);
        invalid.send(new ClientHello("no spaces", "t"));
        assertEquals(ErrorCode.INVALID_NICKNAME, ((ErrorReply) invalid.next()).code());
        assertFalse(invalid.isOpen());
        relay.admitted("b", 4);
        relay.admitted("c", 5);
        Conn full = relay.established(6);
        full.send(new ClientHello("d", "t"));
        assertEquals(ErrorCode.SERVER_FULL, ((ErrorReply) full.next()).code());
        assertFalse(full.isOpen());
        assertEquals(3, relay.relay.registry().size(), "no refused client holds a place");
    }

    @Test
    void aClientThatSaysNoHelloInTimeIsDisconnected() {
        Conn silent = relay.established(1);
        Conn quick = relay.established(2);
        relay.advance(HANDSHAKE_TIMEOUT.minusMillis(1));
        relay.admit(quick, "quick");
        assertTrue(silent.isOpen(), "not yet");
        relay.advance(Duration.ofMillis(1));
        assertFalse(silent.isOpen(), "the hello deadline passed");
        assertNull(silent.next(), "closed without a word: it never said who it is");
        assertTrue(quick.isOpen(), "an admitted client has no hello deadline");
        assertTrue(quick.session.pollTimeout().isEmpty(), "and nothing else to wait for");
    }

    @Test
    void theHelloDeadlineCountsFromTheConnectionEvenBeforeTheHandshake() {
        Conn c = relay.connect(ProtocolExtension.NONE);
        assertEquals(relay.clock.instant().plus(HANDSHAKE_TIMEOUT), c.session.pollTimeout().orElseThrow());
        relay.advance(HANDSHAKE_TIMEOUT);
        assertFalse(c.isOpen());
    }

    @Test
    void listHasEveryoneInIdOrder() {
        Conn alice = relay.admitted("alice", 1);
        relay.admitted("bob", 2);
        alice.drain();
        alice.send(new ListRequest(7));
        ClientList list = assertInstanceOf(ClientList.class, alice.next());
        assertEquals(7, list.requestId());
        assertEquals(2, list.clients().size());
        assertEquals("alice", list.clients().get(0).nickname());
        assertEquals(2, list.clients().get(1).clientId());
    }

    @Test
    void pingIsAnsweredBeforeAndAfterHello() {
        Conn c = relay.established(1);
        c.send(new Ping(9));
        assertEquals(new Pong(9), c.next());
        relay.admit(c, "alice");
        c.send(new Ping(10));
        assertEquals(new Pong(10), c.next());
    }

    @Test
    void malformedRecordGetsAnErrorThenClose() {
        Conn c = relay.established(1);
        c.session.handleMalformed(
                new MalformedMessageException(MalformedMessageException.Reason.UNKNOWN_TYPE, 0, "type 0xee"));
        relay.pump();
        ErrorReply e = assertInstanceOf(ErrorReply.class, c.next());
        assertEquals(ErrorCode.MALFORMED_MESSAGE, e.code());
        assertEquals(0, e.requestId());
        assertFalse(c.isOpen());
    }

    @Test
    void wrongDirectionAndWrongOrderAreProtocolViolations() {
        Conn early = relay.established(1);
        early.send(new ListRequest(1));
        assertEquals(ErrorCode.PROTOCOL_VIOLATION, ((ErrorReply) early.next()).code());
        assertFalse(early.isOpen());
        Conn alice = relay.admitted("alice", 2);
        alice.send(new Welcome(1, "x", "y", 20, 40));
        assertEquals(ErrorCode.PROTOCOL_VIOLATION, ((ErrorReply) alice.next()).code());
        assertFalse(alice.isOpen());
    }

    @Test
    void aMessageBeforeTheHandshakeIsTheCallersMistake() {
        Conn c = relay.connect(ProtocolExtension.NONE);
        assertThrows(IllegalStateException.class, () -> c.session.handleMessage(new Ping(1)));
    }

    @Test
    void plaintextChatIsRefusedAndTheConnectionClosed() {
        Conn bob = relay.admitted("bob", 2);
        int key = 10;
        for (Message plaintext : List.<Message>of(new SendPublic(1, "hi"), new SendPrivate(2, 2, "hi"))) {
            Conn alice = relay.admitted("alice" + key, key++);
            bob.drain();
            alice.send(plaintext);
            ErrorReply refused = assertInstanceOf(ErrorReply.class, alice.next());
            assertEquals(ErrorCode.PROTOCOL_VIOLATION, refused.code());
            assertTrue(refused.detail().contains("plaintext chat"), refused.detail());
            assertFalse(alice.isOpen(), "a client that sends plaintext chat is cut off");
            assertTrue(bob.drain().stream().noneMatch(m -> m instanceof SendPublic || m instanceof SendPrivate
                    || m instanceof Envelope), "nothing was forwarded");
        }
    }

    // ---------------------------------------------------------------- forwarding and its outcomes

    @Test
    void anEnvelopeIsForwardedThenDelivered() {
        Conn alice = relay.admitted("alice", 1);
        Conn bob = relay.admitted("bob", 2);
        alice.drain();
        alice.send(new SendEnvelope(4, 2, new byte[] {7}));
        assertEquals(new Envelope(1, new byte[] {7}), bob.next());
        assertEquals(new Delivered(4), alice.next());
        alice.send(new SendEnvelope(5, 42, new byte[] {7}));
        assertEquals(new ErrorReply(5, ErrorCode.UNKNOWN_RECIPIENT, "no client with id 42 is online"), alice.next());
        assertTrue(alice.isOpen(), "a refused request does not end the session");
    }

    @Test
    void anEnvelopeWhoseRecipientLeftOnTheWayIsReportedGone() {
        Conn alice = relay.admitted("alice", 1);
        Conn bob = relay.admitted("bob", 2);
        alice.drain();
        alice.session.handleMessage(new SendEnvelope(4, 2, new byte[] {7})); // accepted while bob is online...
        bob.clientCloses(); // ...who is gone when the write is carried out
        List<Message> toAlice = alice.drain();
        assertTrue(toAlice.contains(new ErrorReply(4, ErrorCode.RECIPIENT_GONE,
                "client 2 did not get the message (a recipient left before the message reached it)")),
                toAlice::toString);
    }

    @Test
    void aRoomEnvelopeDoesNotCountARecipientThatLeftOnItsOwn() {
        Conn alice = relay.admitted("alice", 1);
        Conn bob = relay.admitted("bob", 2);
        Conn carol = relay.admitted("carol", 3);
        alice.drain();
        alice.session.handleMessage(new SendRoomEnvelope(4, new int[] {2, 3}, new byte[] {7}));
        bob.clientCloses();
        assertTrue(carol.drain().contains(new RoomEnvelope(1, new byte[] {7})));
        assertTrue(alice.drain().contains(new Delivered(4)), "bob is no longer online: delivered to everyone online");
    }

    @Test
    void aRecipientWhoseQueueIsFullIsDisconnectedAndItsSenderTold() {
        Conn alice = relay.admitted("alice", 1);
        Conn bob = relay.admitted("bob", 2);
        Conn carol = relay.admitted("carol", 3);
        alice.drain();
        bob.drain();
        bob.queueFull = true;
        alice.send(new SendRoomEnvelope(5, new int[] {2, 3}, new byte[] {9}));
        assertTrue(carol.drain().contains(new RoomEnvelope(1, new byte[] {9})), "the others still get it");
        List<Message> toAlice = alice.drain();
        assertTrue(toAlice.contains(new ErrorReply(5, ErrorCode.RECIPIENT_TOO_SLOW,
                "not delivered to 1 of 2 recipients (a recipient did not read fast enough)")), toAlice::toString);
        assertTrue(toAlice.contains(new Left(2, "bob", LeaveReason.KICKED)), toAlice::toString);
        assertInstanceOf(Bye.class, bob.drain().get(0));
        assertTrue(bob.isOutputShut(), "bob was told goodbye, and is left to close");

        Conn dave = relay.admitted("dave", 4);
        dave.queueFull = true;
        alice.drain();
        alice.send(new SendEnvelope(6, 4, new byte[] {1}));
        assertTrue(alice.drain().contains(new ErrorReply(6, ErrorCode.RECIPIENT_TOO_SLOW,
                "client 4 reads too slowly and was disconnected")));
        assertEquals(List.of("+1 alice", "+2 bob", "+3 carol", "~1 room:1", "-2 bob TOO_SLOW", "+4 dave", "~1 1:1",
                "-4 dave TOO_SLOW"), relay.listened);
    }

    @Test
    void aWriteThatFailsBecauseTheRecipientWasCutAsTooSlowSaysSo() {
        Conn alice = relay.admitted("alice", 1);
        Conn bob = relay.admitted("bob", 2);
        alice.drain();
        alice.session.handleMessage(new SendEnvelope(3, 2, new byte[] {1}));
        bob.session.handlePolicyDisconnect(disconnect(ByeReason.TOO_SLOW)); // before alice's write is carried out
        bob.clientCloses();
        assertTrue(alice.drain().contains(new ErrorReply(3, ErrorCode.RECIPIENT_TOO_SLOW,
                "client 2 did not get the message (a recipient did not read fast enough)")));
    }

    @Test
    void aDeliveryOutcomeForAForwardThatIsNotInFlightIsRefused() {
        Conn alice = relay.admitted("alice", 1);
        assertThrows(IllegalArgumentException.class, () -> alice.session.handleDeliveryOutcome(
                new RelayAction.Forward<>(alice.session, new Ping(1), 99), DeliveryOutcome.DELIVERED));
    }

    // ---------------------------------------------------------------- shutdown

    @Test
    void shutdownSaysByeToEstablishedConnectionsAndClosesTheOthers() {
        Conn alice = relay.admitted("alice", 1);
        Conn bob = relay.admitted("bob", 2);
        Conn stranger = relay.connect(ProtocolExtension.NONE);
        alice.drain();
        relay.shutDown();
        assertEquals(new Bye(ByeReason.SERVER_SHUTDOWN, "the relay is shutting down"), alice.next());
        assertTrue(alice.isOutputShut(), "a lingering close: a client still sending must not reset the goodbye");
        assertInstanceOf(Bye.class, bob.next());
        assertNull(bob.next(), "no Left during shutdown: everyone gets a Bye instead");
        assertFalse(stranger.isOpen(), "no channel to say goodbye on before the handshake");
        assertEquals(List.of("+1 alice", "+2 bob"), relay.listened, "they leave when their connections close");
        alice.clientCloses(); // as a client does on a goodbye
        relay.advance(RelaySession.LAST_MESSAGE_GRACE); // bob does not: the relay closes after the grace
        assertFalse(bob.isOpen());
        assertEquals(List.of("+1 alice", "+2 bob", "-1 alice RELAY_SHUTDOWN", "-2 bob RELAY_SHUTDOWN"),
                relay.listened, "the listener hears of every departure, even if the clients are not told");
    }

    @Test
    void shutdownAnswersTheMessagesInFlightBeforeTheGoodbye() {
        Conn alice = relay.admitted("alice", 1);
        Conn bob = relay.admitted("bob", 2);
        alice.drain();
        bob.stalled = true; // alice's envelope to bob stays in flight
        alice.send(new SendEnvelope(8, 2, new byte[] {1}));
        assertNull(alice.next(), "in flight: no answer yet");
        relay.relay.beginShutdown();
        alice.session.handleShutdown();
        relay.pump();
        assertTrue(alice.isOpen(), "the goodbye waits for the reply");
        alice.send(new SendEnvelope(9, 2, new byte[] {1}));
        assertEquals(new ErrorReply(9, ErrorCode.SHUTTING_DOWN, "the relay is shutting down and accepts no new"
                + " messages"), alice.next(), "no new work meanwhile");
        bob.clientCloses(); // alice's write to bob fails: the relay is shutting down
        assertEquals(List.of(new ErrorReply(8, ErrorCode.SHUTTING_DOWN, "client 2 did not get the message (the relay"
                + " is shutting down)"), new Bye(ByeReason.SERVER_SHUTDOWN, "the relay is shutting down")),
                alice.drain(), "the reply first, then the goodbye");
        assertTrue(alice.isOutputShut());
    }

    @Test
    void aRelayShuttingDownRefusesEveryKindOfNewWorkButStillAnswersAList() {
        Conn alice = relay.admitted("alice", 1);
        Conn bob = relay.admitted("bob", 2);
        alice.drain();
        relay.relay.beginShutdown();
        alice.send(new SendEnvelope(1, 2, new byte[] {1}));
        alice.send(new SendRoomEnvelope(2, new int[] {2}, new byte[] {1}));
        alice.send(new UploadPreKeys(3, new byte[] {1}));
        alice.send(new PreKeyBundleRequest(4, 2));
        alice.send(new SendPublic(5, "a"));
        alice.send(new SendPrivate(6, 2, "b"));
        alice.send(new ListRequest(7));
        List<Message> replies = alice.drain();
        for (long id = 1; id <= 6; id++) {
            assertEquals(new ErrorReply(id, ErrorCode.SHUTTING_DOWN,
                    "the relay is shutting down and accepts no new messages"), replies.get((int) id - 1));
        }
        assertInstanceOf(ClientList.class, replies.get(6));
        assertNull(bob.next(), "nothing was forwarded");
        Conn late = relay.established(3);
        late.send(new ClientHello("late", "t"));
        assertEquals(ByeReason.SERVER_SHUTDOWN, assertInstanceOf(Bye.class, late.next()).reason());
    }

    // ---------------------------------------------------------------- departures

    @Test
    void byeAndVanishingAreAnnouncedOnceWithTheirReasons() {
        Conn alice = relay.admitted("alice", 1);
        Conn bob = relay.admitted("bob", 2);
        Conn carol = relay.admitted("carol", 3);
        alice.drain();
        bob.send(new Bye(ByeReason.CLIENT_EXIT, ""));
        assertFalse(bob.isOpen());
        carol.clientCloses();
        assertEquals(List.of(new Left(2, "bob", LeaveReason.BYE), new Left(3, "carol", LeaveReason.DISCONNECTED)),
                alice.drain());
        assertEquals(1, relay.relay.registry().size());
        assertEquals(List.of("+1 alice", "+2 bob", "+3 carol", "-2 bob LEFT", "-3 carol DISCONNECTED"),
                relay.listened);
    }

    @Test
    void eachLimitEndsTheSessionWithItsGoodbyeAndOneDepartureNotice() {
        record Case(ByeReason bye, LeaveReason onTheWire, String listened) {}
        Conn watcher = relay.admitted("watcher", 1);
        int key = 2;
        for (Case c : List.of(new Case(ByeReason.TOO_SLOW, LeaveReason.KICKED, "TOO_SLOW"),
                new Case(ByeReason.RATE_LIMITED, LeaveReason.KICKED, "RATE_LIMITED"),
                new Case(ByeReason.IDLE_TIMEOUT, LeaveReason.TIMED_OUT, "TIMED_OUT"))) {
            Conn limited = relay.admitted("x" + key, key++);
            watcher.drain();
            relay.listened.clear();
            limited.session.handlePolicyDisconnect(disconnect(c.bye()));
            limited.session.handlePolicyDisconnect(disconnect(c.bye())); // a second limit finds it going already
            relay.pump();
            assertEquals(List.of(new Bye(c.bye(), "the limit's words")), limited.drain());
            assertTrue(limited.isOutputShut(), "a lingering close: the client closes");
            assertTrue(limited.isOpen());
            int id = key - 1;
            assertEquals(List.of(new Left(id, "x" + id, c.onTheWire())), watcher.drain(),
                    "gone for the others at once");
            limited.send(new SendEnvelope(1, 1, new byte[] {1}));
            limited.clientCloses();
            assertNull(watcher.next(), "what the client sent meanwhile was ignored, and its departure announced once");
            assertEquals(List.of("-" + id + " x" + id + " " + c.listened()), relay.listened);
        }
    }

    @Test
    void aGoodbyeThatIsNeverReadIsGivenUpAfterTheGrace() {
        Conn alice = relay.admitted("alice", 1);
        Conn bob = relay.admitted("bob", 2);
        alice.drain();
        bob.stalled = true; // nothing bob is sent is ever flushed out: his goodbye stays queued too
        bob.session.handlePolicyDisconnect(disconnect(ByeReason.TOO_SLOW));
        relay.pump();
        assertEquals(List.of(new Left(2, "bob", LeaveReason.KICKED)), alice.drain(), "gone for the others at once");
        relay.advance(RelaySession.LAST_MESSAGE_GRACE.minusMillis(1));
        assertTrue(bob.isOpen(), "the goodbye is still queued");
        relay.advance(Duration.ofMillis(1));
        assertFalse(bob.isOpen(), "cut after the grace");
        assertNull(alice.next(), "and not announced a second time");
    }

    @Test
    void aRefusalThatIsNeverReadIsGivenUpAfterTheGraceToo() {
        Conn c = relay.established(1);
        c.stalled = true;
        c.send(new ListRequest(1));
        assertTrue(c.isOpen());
        relay.advance(RelaySession.LAST_MESSAGE_GRACE);
        assertFalse(c.isOpen());
    }

    @Test
    void aLimitBeforeTheHandshakeClosesWithoutAWord() {
        Conn c = relay.connect(ProtocolExtension.NONE);
        c.session.handlePolicyDisconnect(disconnect(ByeReason.TOO_SLOW));
        relay.pump();
        assertFalse(c.isOpen());
        assertNull(c.next());
    }

    @Test
    void aDisconnectCarriesOnlyALimitsReason() {
        assertThrows(IllegalArgumentException.class, () -> new Disconnect(ByeReason.CLIENT_EXIT, "no"));
    }

    @Test
    void aClientKickedDuringShutdownIsNotAnnouncedButReported() {
        Conn alice = relay.admitted("alice", 1);
        Conn bob = relay.admitted("bob", 2);
        alice.drain();
        bob.stalled = true;
        alice.send(new SendEnvelope(1, 2, new byte[] {1})); // keeps alice's session waiting for its reply
        relay.relay.beginShutdown();
        alice.session.handleShutdown();
        relay.pump();
        bob.session.handlePolicyDisconnect(disconnect(ByeReason.RATE_LIMITED));
        relay.pump();
        assertTrue(alice.drain().stream().noneMatch(m -> m instanceof Left), "everyone gets a Bye instead");
        assertEquals(List.of("+1 alice", "+2 bob", "~1 1:1", "-2 bob RATE_LIMITED"), relay.listened);
    }
}
