package io.securecomm.internal.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.local.LocalChannel;
import io.netty.channel.local.LocalIoHandler;
import io.netty.util.ReferenceCountUtil;
import io.securecomm.wire.MessageCodec;
import io.securecomm.wire.RoomEnvelope;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One encoding per fanned-out message, shared by reference count, and freed by its last recipient; on a recipient's
 * event loop, light deliveries before heavy ones.
 */
class OutboxTest {
    /** Issue 22's fan-out flood: room envelopes of 8 KiB. */
    private static final int FLOOD_BYTES = 8192;

    /**
     * The fan-out flood as an honest recipient's event loop sees it: 20 attackers' room fan-outs (8 KiB to the 9
     * members on the loop) are handed to the loop while it is busy, then an honest private message to one of them.
     * The honest message's latency on the loop is the flood written before it, as a ratio to the same loop without
     * the flood (nothing): before the lanes, the loop ran what it was handed in order, all 180 writes of the flood
     * first; now the honest message goes first. No sockets: in-memory channels on an I/O event loop as the relay's.
     */
    @Test
    void anHonestMessageOnARecipientsLoopIsWrittenBeforeAFloodOfRoomFanOuts() throws Exception {
        assertEquals(0, floodWrittenBeforeTheHonestMessage(0));
        assertEquals(0, floodWrittenBeforeTheHonestMessage(20), "the light delivery goes before the queued heavy ones");
    }

    /** How many flood writes reach the recipients before the honest message, with {@code flood} fan-outs ahead. */
    private static int floodWrittenBeforeTheHonestMessage(int flood) throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, LocalIoHandler.newFactory());
        EventLoop loop = group.next();
        try {
            List<Integer> written = Collections.synchronizedList(new ArrayList<>());
            int expected = 9 * flood + 1;
            CountDownLatch allWritten = new CountDownLatch(expected);
            List<Channel> members = new ArrayList<>();
            for (int i = 0; i < 9; i++) {
                LocalChannel member = new LocalChannel();
                member.pipeline().addLast(new ChannelOutboundHandlerAdapter() {
                    @Override
                    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                        written.add(((ByteBuf) msg).readableBytes());
                        allWritten.countDown();
                        ReferenceCountUtil.release(msg);
                        promise.setSuccess();
                    }
                });
                loop.register(member).sync();
                members.add(member);
            }
            CountDownLatch busy = new CountDownLatch(1);
            loop.execute(() -> {
                try {
                    busy.await(10, TimeUnit.SECONDS); // the loop is busy while the deliveries are handed over
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            for (int i = 0; i < flood; i++) {
                Outbox attacker = new Outbox(ByteBufAllocator.DEFAULT, new EmbeddedChannel());
                ByteBuf encoded = attacker.encoded(new RoomEnvelope(100 + i, new byte[FLOOD_BYTES]));
                try {
                    for (Channel m : members) {
                        attacker.add(m, encoded.retainedDuplicate(), m.voidPromise());
                    }
                } finally {
                    encoded.release();
                }
                attacker.dispatch();
            }
            Outbox honest = new Outbox(ByteBufAllocator.DEFAULT, new EmbeddedChannel());
            Channel bob = members.get(0);
            honest.add(bob, honest.encoded(new RoomEnvelope(1, new byte[100])), bob.voidPromise());
            honest.dispatch();
            busy.countDown();
            // The passes after the first wait for loop iterations: the test waits for the writes themselves.
            assertTrue(allWritten.await(10, TimeUnit.SECONDS), "every write made: " + written);
            assertEquals(expected, written.size(), "every write made: " + written);
            int before = 0;
            for (int bytes : written) {
                if (bytes < FLOOD_BYTES) {
                    return before;
                }
                before++;
            }
            throw new AssertionError("the honest message was not written: " + written);
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void aFanOutSharesOneEncodingThatTheLastRecipientFrees() throws Exception {
        List<EmbeddedChannel> recipients = List.of(new EmbeddedChannel(), new EmbeddedChannel(),
                new EmbeddedChannel());
        RoomEnvelope message = new RoomEnvelope(7, new byte[] {1, 2, 3, 4});
        Outbox outbox = new Outbox(ByteBufAllocator.DEFAULT, null);
        for (EmbeddedChannel ch : recipients) {
            outbox.add(ch, outbox.encoded(message), ch.newPromise());
        }
        outbox.dispatch();
        List<ByteBuf> written = new ArrayList<>();
        for (EmbeddedChannel ch : recipients) {
            written.add(ch.readOutbound());
        }
        ByteBuf first = written.get(0);
        assertNotSame(first, written.get(1), "each recipient has its own indexes");
        assertEquals(3, first.refCnt(), "one reference per recipient, the outbox's own released at dispatch");
        for (ByteBuf b : written) {
            assertEquals(message, MessageCodec.decode(ByteBufUtil.getBytes(b)));
            // The same memory: compared by backing array, since unwrap() differs when Netty's leak detector
            // happens to sample the encoding (one allocation in 128) and wraps each duplicate.
            assertTrue(b.array() == first.array() && b.arrayOffset() == first.arrayOffset(),
                    "the same encoding underneath");
        }
        assertEquals(false, written.get(0).release());
        assertEquals(false, written.get(1).release());
        assertEquals(true, written.get(2).release(), "freed with the last recipient's release");
        assertEquals(0, first.refCnt());
    }

    @Test
    void aNewMessageGetsANewEncodingAndTheOldOneIsReleased() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        Outbox outbox = new Outbox(ByteBufAllocator.DEFAULT, null);
        ByteBuf a = outbox.encoded(new RoomEnvelope(1, new byte[] {1}));
        ByteBuf b = outbox.encoded(new RoomEnvelope(2, new byte[] {2}));
        assertEquals(1, a.refCnt(), "the outbox let go of the first encoding when the message changed");
        outbox.add(ch, a, ch.newPromise());
        outbox.add(ch, b, ch.newPromise());
        outbox.dispatch();
        assertEquals(1, b.refCnt(), "after dispatch only the recipient holds it");
        ByteBuf first = ch.readOutbound();
        ByteBuf second = ch.readOutbound();
        assertEquals(new RoomEnvelope(1, new byte[] {1}), MessageCodec.decode(ByteBufUtil.getBytes(first)),
                "in the order added");
        assertTrue(first.release());
        assertTrue(second.release());
    }
}
