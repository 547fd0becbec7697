package io.securecomm.internal.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.securecomm.relay.RelayOptions;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.ClientInfo;
import io.securecomm.wire.ClientList;
import io.securecomm.wire.Delivered;
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
import io.securecomm.wire.PrivateMessage;
import io.securecomm.wire.PublicMessage;
import io.securecomm.wire.SendPrivate;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendRoomEnvelope;
import io.securecomm.wire.RoomEnvelope;
import io.securecomm.wire.UploadPreKeys;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.SendPublic;
import io.securecomm.wire.Welcome;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The relay's per-connection logic, above the codec, with {@link EmbeddedChannel}s sharing one relay. The routing
 * is exercised with the legacy suite's plaintext messages, whose contents the assertions can read; end-to-end
 * envelopes take the same path (also here, and in {@link RelayEnvelopesTest}).
 */
class RelayHandlerTest {
    private final RelayContext relay = new RelayContext(RelayOptions.builder().maxClients(3).build());

    private EmbeddedChannel connection(int keyByte) {
        EmbeddedChannel ch = new EmbeddedChannel(new RelayHandler(relay));
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) keyByte);
        ch.pipeline().fireUserEventTriggered(NoiseHandler.Established.insecureLegacy(key));
        return ch;
    }

    private EmbeddedChannel admitted(String nickname, int keyByte) {
        EmbeddedChannel ch = connection(keyByte);
        ch.writeInbound(new ClientHello(nickname, "test/1"));
        Welcome w = assertInstanceOf(Welcome.class, ch.readOutbound());
        assertEquals(nickname, w.nickname());
        return ch;
    }

    /** The connection's socket stops draining: unflushed bytes pass its high-water mark. */
    private static void stopDraining(EmbeddedChannel ch) {
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        ch.write(new Pong(1));
        ch.write(new Pong(2));
    }

    private static Message next(EmbeddedChannel ch) {
        return ch.readOutbound();
    }

    private static java.util.List<Message> drain(EmbeddedChannel ch) {
        java.util.List<Message> all = new java.util.ArrayList<>();
        for (Message m; (m = next(ch)) != null; ) {
            all.add(m);
        }
        return all;
    }

    @Test
    void helloIsWelcomedAndAnnouncedToOthers() {
        EmbeddedChannel alice = admitted("alice", 1);
        EmbeddedChannel bob = admitted("bob", 2);
        ClientInfo joined = assertInstanceOf(Joined.class, next(alice)).client();
        assertEquals(2, joined.clientId());
        assertEquals("bob", joined.nickname());
        assertEquals(2, joined.identityKey()[0], "the key from the handshake");
        assertNull(next(bob), "no self-announcement");
    }

    @Test
    void listHasEveryoneInIdOrder() {
        EmbeddedChannel alice = admitted("alice", 1);
        admitted("bob", 2);
        next(alice);
        alice.writeInbound(new ListRequest(7));
        ClientList list = assertInstanceOf(ClientList.class, next(alice));
        assertEquals(7, list.requestId());
        assertEquals(2, list.clients().size());
        assertEquals("alice", list.clients().get(0).nickname());
        assertEquals(2, list.clients().get(1).clientId());
    }

    @Test
    void publicMessageGoesToOthersThenDelivered() {
        EmbeddedChannel alice = admitted("alice", 1);
        EmbeddedChannel bob = admitted("bob", 2);
        EmbeddedChannel carol = admitted("carol", 3);
        while (next(alice) != null) { /* drain joins */ }
        while (next(bob) != null) { /* drain joins */ }
        alice.writeInbound(new SendPublic(5, "hi"));
        assertEquals(new PublicMessage(1, "alice", "hi"), next(bob));
        assertEquals(new PublicMessage(1, "alice", "hi"), next(carol));
        assertEquals(new Delivered(5), next(alice));
        assertNull(next(alice), "no echo");
    }

    @Test
    void privateMessageAndUnknownRecipient() {
        EmbeddedChannel alice = admitted("alice", 1);
        EmbeddedChannel bob = admitted("bob", 2);
        next(alice);
        alice.writeInbound(new SendPrivate(1, 2, "psst"));
        assertEquals(new PrivateMessage(1, "alice", "psst"), next(bob));
        assertEquals(new Delivered(1), next(alice));
        alice.writeInbound(new SendPrivate(2, 42, "anyone?"));
        ErrorReply e = assertInstanceOf(ErrorReply.class, next(alice));
        assertEquals(2, e.requestId());
        assertEquals(ErrorCode.UNKNOWN_RECIPIENT, e.code());
        assertTrue(alice.isOpen(), "a refused request does not end the session");
    }

    @Test
    void emptyAndOverlongTextAreRefusedPerRequest() {
        EmbeddedChannel alice = admitted("alice", 1);
        alice.writeInbound(new SendPublic(1, ""));
        assertEquals(ErrorCode.EMPTY_MESSAGE, ((ErrorReply) next(alice)).code());
        alice.writeInbound(new SendPublic(2, "é".repeat(2049)));
        assertEquals(ErrorCode.MESSAGE_TOO_LONG, ((ErrorReply) next(alice)).code());
        alice.writeInbound(new SendPublic(3, "é".repeat(2048)));
        assertEquals(new Delivered(3), next(alice));
    }

    @Test
    void refusedHellosGetTheirCodeAndAClose() {
        admitted("alice", 1);
        EmbeddedChannel taken = connection(2);
        taken.writeInbound(new ClientHello("ALICE", "t"));
        assertEquals(ErrorCode.NICKNAME_TAKEN, ((ErrorReply) next(taken)).code());
        assertFalse(taken.isOpen());
        EmbeddedChannel invalid = connection(3);
        invalid.writeInbound(new ClientHello("no spaces", "t"));
        assertEquals(ErrorCode.INVALID_NICKNAME, ((ErrorReply) next(invalid)).code());
        assertFalse(invalid.isOpen());
        admitted("b", 4);
        admitted("c", 5);
        EmbeddedChannel full = connection(6);
        full.writeInbound(new ClientHello("d", "t"));
        assertEquals(ErrorCode.SERVER_FULL, ((ErrorReply) next(full)).code());
    }

    @Test
    void malformedRecordGetsAnErrorThenClose() {
        EmbeddedChannel ch = connection(1);
        ch.writeInbound(new MessageCodecHandler.Malformed(
                new MalformedMessageException(MalformedMessageException.Reason.UNKNOWN_TYPE, 0, "type 0xee")));
        ErrorReply e = assertInstanceOf(ErrorReply.class, next(ch));
        assertEquals(ErrorCode.MALFORMED_MESSAGE, e.code());
        assertEquals(0, e.requestId());
        assertFalse(ch.isOpen());
    }

    @Test
    void wrongDirectionAndWrongOrderAreProtocolViolations() {
        EmbeddedChannel early = connection(1);
        early.writeInbound(new ListRequest(1));
        assertEquals(ErrorCode.PROTOCOL_VIOLATION, ((ErrorReply) next(early)).code());
        assertFalse(early.isOpen());
        EmbeddedChannel alice = admitted("alice", 2);
        alice.writeInbound(new Welcome(1, "x", "y"));
        assertEquals(ErrorCode.PROTOCOL_VIOLATION, ((ErrorReply) next(alice)).code());
        assertFalse(alice.isOpen());
    }

    @Test
    void pingIsAnsweredBeforeAndAfterHello() {
        EmbeddedChannel ch = connection(1);
        ch.writeInbound(new Ping(9));
        assertEquals(new Pong(9), next(ch));
        ch.writeInbound(new ClientHello("alice", "t"));
        next(ch);
        ch.writeInbound(new Ping(10));
        assertEquals(new Pong(10), next(ch));
    }

    @Test
    void byeAndVanishingAreAnnouncedWithTheirReasons() {
        EmbeddedChannel alice = admitted("alice", 1);
        EmbeddedChannel bob = admitted("bob", 2);
        EmbeddedChannel carol = admitted("carol", 3);
        while (next(alice) != null) { /* drain joins */ }
        bob.writeInbound(new Bye(ByeReason.CLIENT_EXIT, ""));
        assertFalse(bob.isOpen());
        assertEquals(new Left(2, "bob", LeaveReason.BYE), next(alice));
        carol.close();
        assertEquals(new Left(3, "carol", LeaveReason.DISCONNECTED), next(alice));
        assertEquals(1, relay.registry.size());
    }

    @Test
    void plaintextChatFromANoiseConnectionIsRefusedAndTheConnectionClosed() {
        EmbeddedChannel bob = admitted("bob", 2);
        for (Message plaintext : java.util.List.<Message>of(new SendPublic(1, "hi"), new SendPrivate(2, 2, "hi"))) {
            EmbeddedChannel alice = new EmbeddedChannel(new RelayHandler(relay));
            alice.pipeline().fireUserEventTriggered(new NoiseHandler.Established(new byte[32], new byte[32]));
            alice.writeInbound(new ClientHello("alice", "test/1"));
            assertInstanceOf(Welcome.class, next(alice));
            drain(bob);
            alice.writeInbound(plaintext);
            ErrorReply refused = assertInstanceOf(ErrorReply.class, next(alice));
            assertEquals(ErrorCode.PROTOCOL_VIOLATION, refused.code());
            assertTrue(refused.detail().contains("plaintext chat"), refused.detail());
            alice.runPendingTasks();
            assertFalse(alice.isOpen(), "a client that sends plaintext chat over Noise is cut off");
            assertTrue(drain(bob).stream().noneMatch(m -> m instanceof PublicMessage || m instanceof PrivateMessage),
                    "nothing was forwarded");
        }
    }

    @Test
    void shutdownSaysByeToEstablishedConnections() {
        EmbeddedChannel alice = admitted("alice", 1);
        EmbeddedChannel bob = admitted("bob", 2);
        next(alice);
        relay.shuttingDown = true;
        alice.pipeline().fireUserEventTriggered(RelayHandler.SHUTDOWN);
        Bye bye = assertInstanceOf(Bye.class, next(alice));
        assertEquals(ByeReason.SERVER_SHUTDOWN, bye.reason());
        assertFalse(alice.isOpen());
        assertNull(next(bob), "no Left during shutdown: everyone gets a Bye instead");
    }

    @Test
    void aRecipientThatStopsReadingIsDisconnectedNotBufferedForever() {
        EmbeddedChannel alice = admitted("alice", 1);
        EmbeddedChannel bob = admitted("bob", 2);
        EmbeddedChannel carol = admitted("carol", 3);
        while (next(alice) != null) { /* drain joins */ }
        while (next(bob) != null) { /* drain joins */ }
        stopDraining(bob);
        assertFalse(bob.isWritable());

        alice.writeInbound(new SendPublic(1, "hello"));
        // (Embedded channels run everything at once, so bob's departure may be announced first.)
        java.util.List<Message> toCarol = drain(carol);
        java.util.List<Message> toAlice = drain(alice);
        assertTrue(toCarol.contains(new PublicMessage(1, "alice", "hello")), "others still get it: " + toCarol);
        // The sender is not held up, and is told the truth: not every recipient got it (PROTOCOL.md 9.1).
        assertTrue(toAlice.contains(new ErrorReply(1, ErrorCode.RECIPIENT_TOO_SLOW,
                "not delivered to 1 of 2 recipients (a recipient did not read fast enough)")), toAlice::toString);
        assertTrue(toAlice.contains(new Left(2, "bob", LeaveReason.KICKED)), toAlice::toString);
        assertFalse(bob.isOpen(), "bob was disconnected");
        Bye bye = null;
        for (Object o; (o = bob.readOutbound()) != null; ) {
            if (o instanceof Bye b) {
                bye = b;
            }
        }
        assertEquals(ByeReason.TOO_SLOW, bye.reason());
    }

    @Test
    void aRoomEnvelopeMissedByASlowReaderIsReportedToItsSenderAndReachesTheOthers() {
        EmbeddedChannel alice = admitted("alice", 1);
        EmbeddedChannel bob = admitted("bob", 2);
        EmbeddedChannel carol = admitted("carol", 3);
        drain(alice);
        drain(bob);
        stopDraining(bob);

        alice.writeInbound(new SendRoomEnvelope(5, new int[] {2, 3}, new byte[] {9, 8, 7}));
        java.util.List<Message> toCarol = drain(carol);
        java.util.List<Message> toAlice = drain(alice);
        assertTrue(toCarol.contains(new RoomEnvelope(1, new byte[] {9, 8, 7})), toCarol::toString);
        assertTrue(toAlice.contains(new ErrorReply(5, ErrorCode.RECIPIENT_TOO_SLOW,
                "not delivered to 1 of 2 recipients (a recipient did not read fast enough)")), toAlice::toString);
        assertFalse(bob.isOpen(), "bob was disconnected");
    }

    @Test
    void anEnvelopeToASlowReaderIsRefused() {
        EmbeddedChannel alice = admitted("alice", 1);
        EmbeddedChannel bob = admitted("bob", 2);
        next(alice);
        stopDraining(bob);
        alice.writeInbound(new SendEnvelope(6, 2, new byte[] {1}));
        assertTrue(drain(alice).contains(new ErrorReply(6, ErrorCode.RECIPIENT_TOO_SLOW,
                "client 2 reads too slowly and was disconnected")));
        assertFalse(bob.isOpen());
    }

    @Test
    void aRelayShuttingDownRefusesEveryKindOfNewWorkButStillAnswersAList() {
        EmbeddedChannel alice = admitted("alice", 1);
        EmbeddedChannel bob = admitted("bob", 2);
        drain(alice);
        relay.shuttingDown = true;
        alice.writeInbound(new SendEnvelope(1, 2, new byte[] {1}));
        alice.writeInbound(new SendRoomEnvelope(2, new int[] {2}, new byte[] {1}));
        alice.writeInbound(new UploadPreKeys(3, new byte[] {1}));
        alice.writeInbound(new PreKeyBundleRequest(4, 2));
        alice.writeInbound(new SendPublic(5, "a"));
        alice.writeInbound(new SendPrivate(6, 2, "b"));
        alice.writeInbound(new ListRequest(7));
        java.util.List<Message> replies = drain(alice);
        for (long id = 1; id <= 6; id++) {
            assertTrue(replies.contains(new ErrorReply(id, ErrorCode.SHUTTING_DOWN,
                    "the relay is shutting down and accepts no new messages")), id + ": " + replies);
        }
        assertInstanceOf(ClientList.class, replies.get(replies.size() - 1));
        assertNull(next(bob), "nothing was forwarded");
    }

    @Test
    void privateMessageToASlowReaderIsRefused() {
        EmbeddedChannel alice = admitted("alice", 1);
        EmbeddedChannel bob = admitted("bob", 2);
        next(alice);
        stopDraining(bob);
        alice.writeInbound(new SendPrivate(4, 2, "psst"));
        assertTrue(drain(alice).contains(new ErrorReply(4, ErrorCode.RECIPIENT_TOO_SLOW,
                "client 2 reads too slowly and was disconnected")));
        assertFalse(bob.isOpen());
    }

    @Test
    void listenerSeesJoinsAndLeavesAndCannotBreakTheRelay() {
        java.util.List<String> seen = new java.util.ArrayList<>();
        RelayContext observed = new RelayContext(RelayOptions.builder().listener(new io.securecomm.relay.RelayListener() {
            @Override
            public void onClientJoined(int clientId, String nickname, byte[] identityKey) {
                seen.add("+" + clientId + nickname + identityKey[0]);
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onClientLeft(int clientId, String nickname, io.securecomm.relay.DepartureReason reason) {
                seen.add("-" + clientId + nickname + " " + reason.description());
            }
        }).build());
        EmbeddedChannel ch = new EmbeddedChannel(new RelayHandler(observed));
        byte[] key = new byte[32];
        key[0] = 7;
        ch.pipeline().fireUserEventTriggered(NoiseHandler.Established.insecureLegacy(key));
        ch.writeInbound(new ClientHello("alice", "t"));
        assertInstanceOf(Welcome.class, next(ch), "admitted despite the listener's exception");
        ch.writeInbound(new Bye(ByeReason.CLIENT_EXIT, ""));
        assertEquals(java.util.List.of("+1alice7", "-1alice left"), seen);
    }

    @Test
    void aReaderThatNeverDrainsIsCutAfterTheGrace() {
        EmbeddedChannel alice = admitted("alice", 1);
        EmbeddedChannel bob = admitted("bob", 2);
        next(alice);
        bob.freezeTime();
        bob.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        // Nothing bob is sent is ever flushed out: his goodbye stays queued too.
        bob.pipeline().addFirst(new io.netty.channel.ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(io.netty.channel.ChannelHandlerContext ctx) {
                // swallow: the socket never drains
            }
        });
        bob.write(new Pong(1));
        bob.write(new Pong(2));
        alice.writeInbound(new SendPublic(1, "hello"));
        assertTrue(bob.isOpen(), "the goodbye is still queued");
        bob.advanceTimeBy(RelayHandler.LAST_MESSAGE_GRACE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        bob.runScheduledPendingTasks();
        assertFalse(bob.isOpen(), "cut after the grace");
        assertTrue(drain(alice).contains(new Left(2, "bob", LeaveReason.KICKED)));
    }
}
