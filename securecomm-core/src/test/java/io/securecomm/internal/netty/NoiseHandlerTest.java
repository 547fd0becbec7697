package io.securecomm.internal.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.securecomm.SecureCommException;
import io.securecomm.noise.HandshakeException;
import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.noise.SecureChannelException;
import io.securecomm.wire.FrameDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The frame and Noise handlers of both sides, in memory with {@link EmbeddedChannel}s. */
class NoiseHandlerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Collects what reaches the top of a pipeline. */
    static final class Sink extends ChannelInboundHandlerAdapter {
        final List<Object> reads = new ArrayList<>();
        final List<Object> events = new ArrayList<>();
        final List<Throwable> errors = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            reads.add(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            events.add(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            errors.add(cause);
        }
    }

    private final NoiseKeyPair clientKey = NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom());
    private final NoiseKeyPair relayKey = NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom());

    private static EmbeddedChannel side(boolean initiator, NoiseKeyPair key, NoiseHandler.RemoteStaticCheck check,
            Sink sink) throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(false, false);
        ch.register();
        // Frozen before the handlers are added: adding the Noise handler to an active channel schedules the
        // handshake deadline, so a clock frozen afterwards would stand a little after the deadline's start, and a test
        // advancing it to just before the deadline could fire it.
        ch.freezeTime();
        ch.pipeline().addLast(new FrameDecoderHandler(FrameDecoder.DEFAULT_MAX_FRAME_LENGTH_BYTES),
                FrameEncoderHandler.INSTANCE, new NoiseHandler(initiator, key, TIMEOUT, check), sink);
        return ch;
    }

    /** Moves every outbound byte of one channel into the other, fragmented one byte at a time. */
    private static int pump(EmbeddedChannel from, EmbeddedChannel to) {
        int moved = 0;
        ByteBuf buf;
        while ((buf = from.readOutbound()) != null) {
            while (buf.isReadable()) {
                to.writeInbound(Unpooled.wrappedBuffer(new byte[] {buf.readByte()}));
                moved++;
            }
            buf.release();
        }
        return moved;
    }

    private static void pumpAll(EmbeddedChannel a, EmbeddedChannel b) {
        while (pump(a, b) + pump(b, a) > 0) {
            // until both are quiet
        }
    }

    @Test
    void handshakeCompletesOverFragmentedFramesAndRecordsFlowBothWays() throws Exception {
        Sink cs = new Sink();
        Sink rs = new Sink();
        List<byte[]> seenRelayKeys = new ArrayList<>();
        EmbeddedChannel client = side(true, clientKey, seenRelayKeys::add, cs);
        EmbeddedChannel relay = side(false, relayKey, NoiseHandler.RemoteStaticCheck.ACCEPT_ALL, rs);
        client.pipeline().fireChannelActive();
        relay.pipeline().fireChannelActive();
        pumpAll(client, relay);

        NoiseHandler.Established ce = assertInstanceOf(NoiseHandler.Established.class, cs.events.get(0));
        NoiseHandler.Established re = assertInstanceOf(NoiseHandler.Established.class, rs.events.get(0));
        assertArrayEquals(relayKey.publicKey(), ce.remoteStaticPublicKey());
        assertArrayEquals(clientKey.publicKey(), re.remoteStaticPublicKey());
        assertArrayEquals(ce.handshakeHash(), re.handshakeHash());
        assertArrayEquals(relayKey.publicKey(), seenRelayKeys.get(0), "the check saw the relay's key");

        client.writeOutbound("ping".getBytes(StandardCharsets.UTF_8));
        relay.writeOutbound("pong".getBytes(StandardCharsets.UTF_8));
        pumpAll(client, relay);
        assertArrayEquals("ping".getBytes(StandardCharsets.UTF_8), (byte[]) rs.reads.get(0));
        assertArrayEquals("pong".getBytes(StandardCharsets.UTF_8), (byte[]) cs.reads.get(0));
        assertTrue(cs.errors.isEmpty() && rs.errors.isEmpty());
    }

    @Test
    void aSharedBufferPlaintextIsSealedIntoOneFramedRecordAndReleased() throws Exception {
        Sink cs = new Sink();
        Sink rs = new Sink();
        EmbeddedChannel client = side(true, clientKey, k -> { }, cs);
        EmbeddedChannel relay = side(false, relayKey, NoiseHandler.RemoteStaticCheck.ACCEPT_ALL, rs);
        client.pipeline().fireChannelActive();
        relay.pipeline().fireChannelActive();
        pumpAll(client, relay);
        byte[] text = "one encoding for every recipient".getBytes(StandardCharsets.UTF_8);
        // As the relay's Outbox hands it to each recipient: a retained duplicate of one buffer, here at an offset.
        ByteBuf shared = Unpooled.wrappedBuffer(new byte[3], text).readerIndex(3);
        ByteBuf duplicate = shared.retainedDuplicate();
        relay.writeOutbound(duplicate);
        assertEquals(1, shared.refCnt(), "the handler released its duplicate, and only that");
        ByteBuf record = relay.readOutbound();
        assertEquals(2 + text.length + 16, record.readableBytes(), "length prefix, ciphertext and tag, nothing else");
        assertEquals(text.length + 16, record.getUnsignedShort(0), "the frame's length prefix");
        assertTrue(record.isDirect(), "ready for the socket: the transport would copy a heap buffer");
        client.writeInbound(record);
        assertArrayEquals(text, (byte[]) cs.reads.get(0));
        assertEquals(3, shared.readerIndex(), "the shared buffer's indexes are untouched");
        assertTrue(shared.release());
        assertTrue(cs.errors.isEmpty() && rs.errors.isEmpty());
    }

    @Test
    void aBufferWrittenBeforeTheHandshakeFailsItsWriteAndIsReleased() throws Exception {
        EmbeddedChannel relay = side(false, relayKey, NoiseHandler.RemoteStaticCheck.ACCEPT_ALL, new Sink());
        ByteBuf early = Unpooled.wrappedBuffer(new byte[] {1, 2, 3});
        ChannelFuture written = relay.writeOneOutbound(early);
        relay.flushOutbound();
        assertFalse(written.isSuccess());
        assertEquals(0, early.refCnt());
    }

    @Test
    void refusedRemoteKeyAbortsBeforeTheClientRevealsItself() throws Exception {
        Sink cs = new Sink();
        Sink rs = new Sink();
        EmbeddedChannel client = side(true, clientKey, key -> {
            throw new SecureCommException("refused for the test");
        }, cs);
        EmbeddedChannel relay = side(false, relayKey, NoiseHandler.RemoteStaticCheck.ACCEPT_ALL, rs);
        client.pipeline().fireChannelActive();
        relay.pipeline().fireChannelActive();
        pumpAll(client, relay);
        assertFalse(client.isOpen());
        assertTrue(cs.events.isEmpty());
        assertTrue(rs.events.isEmpty(), "the relay never got message 3");
        assertTrue(cs.errors.get(0).getMessage().contains("refused for the test"));
    }

    @Test
    void tamperedTransportRecordClosesTheChannel() throws Exception {
        Sink cs = new Sink();
        Sink rs = new Sink();
        EmbeddedChannel client = side(true, clientKey, k -> { }, cs);
        EmbeddedChannel relay = side(false, relayKey, NoiseHandler.RemoteStaticCheck.ACCEPT_ALL, rs);
        client.pipeline().fireChannelActive();
        relay.pipeline().fireChannelActive();
        pumpAll(client, relay);
        client.writeOutbound("hello".getBytes(StandardCharsets.UTF_8));
        ByteBuf record = client.readOutbound();
        byte[] bytes = new byte[record.readableBytes()];
        record.readBytes(bytes);
        record.release();
        bytes[bytes.length - 1] ^= 1;
        relay.writeInbound(Unpooled.wrappedBuffer(bytes));
        assertInstanceOf(SecureChannelException.class, rs.errors.get(0));
        assertTrue(rs.reads.isEmpty());
        assertFalse(relay.isOpen());
    }

    @Test
    void garbageHandshakeMessageFailsTheHandshake() throws Exception {
        Sink rs = new Sink();
        EmbeddedChannel relay = side(false, relayKey, NoiseHandler.RemoteStaticCheck.ACCEPT_ALL, rs);
        relay.pipeline().fireChannelActive();
        relay.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 3, 1, 2, 3}));
        assertInstanceOf(HandshakeException.class, rs.errors.get(0));
        assertFalse(relay.isOpen());
    }

    @Test
    void handshakeTimesOut() throws Exception {
        Sink rs = new Sink();
        EmbeddedChannel relay = side(false, relayKey, NoiseHandler.RemoteStaticCheck.ACCEPT_ALL, rs);
        relay.pipeline().fireChannelActive();
        relay.advanceTimeBy(TIMEOUT.toMillis() - 1, TimeUnit.MILLISECONDS);
        relay.runScheduledPendingTasks();
        assertTrue(relay.isOpen());
        relay.advanceTimeBy(2, TimeUnit.MILLISECONDS);
        relay.runScheduledPendingTasks();
        HandshakeException timedOut = assertInstanceOf(HandshakeException.class, rs.errors.get(0));
        assertEquals(HandshakeException.Reason.TIMED_OUT, timedOut.reason());
        assertFalse(relay.isOpen());
    }

    @Test
    void writingBeforeTheHandshakeFails() throws Exception {
        EmbeddedChannel relay = side(false, relayKey, NoiseHandler.RemoteStaticCheck.ACCEPT_ALL, new Sink());
        relay.pipeline().fireChannelActive();
        assertThrows(IllegalStateException.class, () -> relay.writeOutbound(new byte[] {1}));
        assertNull(relay.readOutbound());
    }

    @Test
    void frameDecoderHandlerReassemblesFramesFedOneByteAtATime() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoderHandler(100));
        byte[] stream = {0, 2, 'h', 'i', 0, 1, '!', 0, 3, 'a'};
        for (byte b : stream) {
            ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertArrayEquals("hi".getBytes(StandardCharsets.US_ASCII), (byte[]) ch.readInbound());
        assertArrayEquals("!".getBytes(StandardCharsets.US_ASCII), (byte[]) ch.readInbound());
        assertNull(ch.readInbound(), "the partial frame waits");
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'b', 'c'}));
        assertNotNull(ch.readInbound());
    }

    @Test
    void frameDecoderHandlerRejectsOversizedFrames() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoderHandler(4));
        Throwable t = assertThrows(Exception.class, () -> ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 5})));
        assertNotNull(t);
    }
}
