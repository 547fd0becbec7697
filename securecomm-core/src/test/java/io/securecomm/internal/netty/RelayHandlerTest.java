package io.securecomm.internal.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.securecomm.internal.relay.ClusterInbound;
import io.securecomm.internal.relay.Disconnect;
import io.securecomm.internal.relay.ProtocolExtension;
import io.securecomm.internal.relay.RelaySession;
import io.securecomm.internal.relay.RelayState;
import io.securecomm.relay.RelayListener;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.cluster.RouteOutcome;
import io.securecomm.relay.cluster.RoutedMessage;
import io.securecomm.testing.MutableClock;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.Envelope;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Joined;
import io.securecomm.wire.MalformedMessageException;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageCodec;
import io.securecomm.wire.Pong;
import io.securecomm.wire.PublicMessage;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendPublic;
import io.securecomm.wire.Welcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Netty adapter of the relay's sessions with {@link EmbeddedChannel}s sharing one relay: it feeds the session
 * and carries out its actions, on this channel and on others, and runs its timer. What the session decides is
 * tested without Netty in {@code internal.relay.RelaySessionTest}.
 */
class RelayHandlerTest {
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final MutableClock clock = new MutableClock();
    private final List<String> listened = new ArrayList<>();
    private final RelayState<Channel> relay = new RelayState<>(RelayOptions.builder()
            .handshakeTimeout(HANDSHAKE_TIMEOUT).listener(new RelayListener() {
                @Override
                public void onClientJoined(int clientId, String nickname, byte[] identityKey) {
                    listened.add("+" + nickname);
                    throw new IllegalStateException("a listener bug");
                }
            }).build(), clock);

    private EmbeddedChannel connection(int keyByte) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast("relay", new RelayHandler(relay, ProtocolExtension.NONE, clock.instant()));
        byte[] key = new byte[32];
        key[0] = (byte) keyByte;
        ch.pipeline().fireUserEventTriggered(new NoiseHandler.Established(key, new byte[32]));
        return ch;
    }

    private EmbeddedChannel admitted(String nickname, int keyByte) {
        EmbeddedChannel ch = connection(keyByte);
        ch.writeInbound(new ClientHello(nickname, "test/1"));
        assertInstanceOf(Welcome.class, next(ch));
        return ch;
    }

    private static List<Message> drain(EmbeddedChannel ch) {
        ch.runPendingTasks();
        List<Message> all = new ArrayList<>();
        for (Object m; (m = next(ch)) != null; ) {
            all.add((Message) m);
        }
        return all;
    }

    /**
     * The next message written to the channel: a message object, or a message for other connections that the
     * relay encoded once for all its recipients (a buffer, released here, which must then be freed).
     */
    private static <T> T next(EmbeddedChannel ch) {
        Object m = ch.readOutbound();
        if (m instanceof ByteBuf encoded) {
            try {
                m = MessageCodec.decode(ByteBufUtil.getBytes(encoded));
            } catch (MalformedMessageException e) {
                throw new AssertionError(e);
            } finally {
                encoded.release();
            }
            assertEquals(0, encoded.refCnt(), "the one encoding is freed once its last recipient is done with it");
        }
        @SuppressWarnings("unchecked")
        T t = (T) m;
        return t;
    }

    /** Moves both the relay's clock and the channel's scheduler, and runs what is due. */
    private void advance(EmbeddedChannel ch, Duration d) {
        clock.advance(d);
        ch.advanceTimeBy(d.toNanos(), TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks();
    }

    @Test
    void messagesGoToTheSessionAndItsAnswersToThisAndOtherChannels() {
        EmbeddedChannel alice = admitted("alice", 1);
        EmbeddedChannel bob = admitted("bob", 2);
        assertEquals(2, assertInstanceOf(Joined.class, next(alice)).client().identityKey()[0],
                "the key of the handshake event, announced on the other channel");
        assertEquals(List.of("+alice", "+bob"), listened, "reported, and the listener's exception ignored");
        alice.writeInbound(new SendEnvelope(4, 2, new byte[] {7}));
        assertEquals(new Envelope(1, new byte[] {7}), next(bob));
        assertEquals(List.of(new Delivered(4)), drain(alice), "the write's outcome came back to alice's session");
    }

    @Test
    void aRecipientPastItsHighWaterMarkIsNotWrittenToButToldToGo() {
        EmbeddedChannel alice = admitted("alice", 1);
        EmbeddedChannel bob = admitted("bob", 2);
        drain(alice);
        bob.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        // Nothing bob is sent is ever flushed out from here on.
        bob.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                // swallow: the socket never drains
            }
        });
        bob.write(new Pong(1));
        bob.write(new Pong(2));
        assertFalse(bob.isWritable());
        alice.writeInbound(new SendEnvelope(6, 2, new byte[] {1}));
        assertTrue(drain(alice).contains(new ErrorReply(6, ErrorCode.RECIPIENT_TOO_SLOW,
                "client 2 reads too slowly and was disconnected")));
        assertTrue(bob.isOpen(), "bob's goodbye is queued behind what he does not read");
        advance(bob, RelaySession.LAST_MESSAGE_GRACE);
        assertFalse(bob.isOpen(), "cut after the grace");
    }

    /**
     * Messages routed from other nodes wait in the recipient's fair queue, each remote client as one sender: a flood
     * from dave (on node b), held behind a socket that takes nothing, is refused to dave past his share, while erin's
     * one message (from node c) is taken and written before the rest of dave's backlog; bob stays connected.
     */
    @Test
    void messagesFromOtherNodesWaitInTheFairQueueAsTheirSendersAndAFloodIsRefusedOnlyToItsSender() {
        EmbeddedChannel bob = admitted("bob", 2);
        drain(bob);
        FairOutbound.attach(bob, 1 << 20, "bob's address");
        HeldFlushes socket = new HeldFlushes();
        bob.pipeline().addFirst(socket);
        ClusterInbound<Channel> node = new ClusterInbound<>(relay);
        int bobId = relay.registry().byNickname("bob").orElseThrow().clientId();
        List<CompletableFuture<List<RouteOutcome>>> fromDave = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            byte[] ciphertext = new byte[8 * 1024];
            ciphertext[0] = (byte) i;
            fromDave.add(node.deliver(new RoutedMessage("b", 100, new int[] {bobId}, "", 0,
                    MessageCodec.encode(new Envelope(100, ciphertext)))).toCompletableFuture());
            bob.runPendingTasks();
        }
        CompletableFuture<List<RouteOutcome>> fromErin = node.deliver(new RoutedMessage("c", 101, new int[] {bobId},
                "", 0, MessageCodec.encode(new Envelope(101, new byte[] {42})))).toCompletableFuture();
        bob.runPendingTasks();
        long refused = fromDave.stream().filter(f -> f.isDone()
                && f.join().equals(List.of(RouteOutcome.RECIPIENT_TOO_SLOW))).count();
        assertTrue(refused > 0 && refused < 30, "dave's flood past his share is refused to him: " + refused);
        assertFalse(fromErin.isDone(), "erin's waits in the queue, not refused");

        socket.holding = false;
        List<Integer> order = new ArrayList<>();
        for (int round = 0; round < 100; round++) {
            bob.flush();
            bob.runPendingTasks();
            for (Object m; (m = next(bob)) != null; ) {
                order.add(assertInstanceOf(Envelope.class, m).senderId());
            }
        }
        assertEquals(List.of(RouteOutcome.DELIVERED), fromErin.join());
        assertEquals(30 - refused, order.stream().filter(id -> id == 100).count(), "every one of dave's taken");
        assertTrue(order.indexOf(101) < order.lastIndexOf(100), "erin's went before dave's backlog: " + order);
        for (CompletableFuture<List<RouteOutcome>> f : fromDave) {
            assertTrue(f.isDone(), "every write answered");
        }
        assertEquals(30 - refused, fromDave.stream().filter(f -> f.join().equals(List.of(RouteOutcome.DELIVERED)))
                .count(), "delivered exactly when written");
        assertTrue(bob.isOpen(), "bob was not cut off");
    }

    @Test
    void aLimitsDisconnectEndsTheSessionWithAGoodbye() {
        EmbeddedChannel alice = admitted("alice", 1);
        alice.pipeline().fireUserEventTriggered(new Disconnect(ByeReason.IDLE_TIMEOUT, "quiet"));
        assertEquals(new Bye(ByeReason.IDLE_TIMEOUT, "quiet"), next(alice));
        assertFalse(alice.isOpen(), "an embedded channel cannot half-close: it closes");
        assertEquals(0, relay.registry().size());
    }

    @Test
    void theShutdownEventSaysGoodbye() {
        EmbeddedChannel alice = admitted("alice", 1);
        relay.beginShutdown();
        alice.pipeline().fireUserEventTriggered(RelayHandler.SHUTDOWN);
        assertEquals(ByeReason.SERVER_SHUTDOWN, assertInstanceOf(Bye.class, next(alice)).reason());
        assertFalse(alice.isOpen());
    }

    @Test
    void aMalformedRecordIsAnsweredThenTheChannelCloses() {
        EmbeddedChannel ch = connection(1);
        ch.writeInbound(new MessageCodecHandler.Malformed(
                new MalformedMessageException(MalformedMessageException.Reason.UNKNOWN_TYPE, 0, "type 0xee")));
        assertEquals(ErrorCode.MALFORMED_MESSAGE, assertInstanceOf(ErrorReply.class, next(ch)).code());
        assertFalse(ch.isOpen());
    }

    @Test
    void theHelloDeadlineRunsOnTheChannelsTimer() {
        EmbeddedChannel ch = connection(1);
        advance(ch, HANDSHAKE_TIMEOUT.minusMillis(1));
        assertTrue(ch.isOpen());
        advance(ch, Duration.ofMillis(1));
        assertFalse(ch.isOpen());
    }

    @Test
    void anExceptionClosesOnlyItsOwnChannel() {
        EmbeddedChannel alice = admitted("alice", 1);
        EmbeddedChannel bob = admitted("bob", 2);
        alice.pipeline().fireExceptionCaught(new IllegalStateException("a forged record"));
        assertFalse(alice.isOpen());
        assertTrue(bob.isOpen());
        assertEquals(1, relay.registry().size());
    }

    @Test
    void theLegacySuitesPipelineGetsTheLegacyProtocol() {
        EmbeddedChannel bob = admitted("bob", 2);
        EmbeddedChannel toy = new EmbeddedChannel();
        RelayHandler assembled = new RelayHandler(relay, ProtocolExtension.NONE, clock.instant());
        toy.pipeline().addLast("noise", new ChannelInboundHandlerAdapter()).addLast("relay", assembled);
        RelayPipeline.useLegacySuite(toy.pipeline());
        assertInstanceOf(LegacyHandler.class, toy.pipeline().get("legacy"));
        assertNotSame(assembled, toy.pipeline().get("relay"), "the relay's protocol was swapped too");
        toy.pipeline().fireUserEventTriggered(new NoiseHandler.Established(new byte[] {1, 2, 3, 4}, new byte[0]));
        toy.writeInbound(new ClientHello("toy", "t"));
        assertInstanceOf(Welcome.class, next(toy));
        drain(bob);
        toy.writeInbound(new SendPublic(1, "hi"));
        assertEquals(new PublicMessage(2, "toy", "hi"), next(bob), "plaintext chat is forwarded");
        assertEquals(List.of(new Delivered(1)), drain(toy));
        assertNull(next(bob));
    }
}
