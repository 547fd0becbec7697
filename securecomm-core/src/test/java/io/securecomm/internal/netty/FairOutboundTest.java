package io.securecomm.internal.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One connection's fair queue on an embedded channel: a write to an idle connection goes straight to the channel
 * (issue 18), and the queue's limits and order hold as before.
 */
class FairOutboundTest {
    private static ByteBuf message(int tag, int bytes) {
        ByteBuf b = Unpooled.buffer(bytes);
        b.writeByte(tag);
        b.writeZero(bytes - 1);
        return b;
    }

    private static List<Integer> written(EmbeddedChannel channel) {
        List<Integer> tags = new ArrayList<>();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            tags.add((int) b.getByte(0));
            b.release();
        }
        return tags;
    }

    @Test
    void aWriteToAnIdleConnectionReachesTheSocketAndCompletesItsPromise() {
        EmbeddedChannel channel = new EmbeddedChannel();
        FairOutbound.attach(channel, 1 << 20, "own address");
        ChannelPromise promise = channel.newPromise();
        FairOutbound.of(channel).write("alice's address", message(1, 100), promise);
        channel.flush();
        assertEquals(List.of(1), written(channel));
        assertTrue(promise.isSuccess());
    }

    @Test
    void aMessageLargerThanTheWholeLimitIsRefusedEvenWhenNothingWaits() {
        EmbeddedChannel channel = new EmbeddedChannel();
        FairOutbound.attach(channel, 1_000, "own address");
        ChannelPromise promise = channel.newPromise();
        ByteBuf large = message(1, 1_001);
        FairOutbound.of(channel).write("alice's address", large, promise);
        channel.flush();
        assertNull(channel.readOutbound());
        assertInstanceOf(FairOutbound.RecipientQueueFull.class, promise.cause());
        assertEquals(0, large.refCnt(), "released");
        ChannelPromise fits = channel.newPromise();
        FairOutbound.of(channel).write("alice's address", message(2, 1_000), fits);
        channel.flush();
        assertEquals(List.of(2), written(channel));
        assertTrue(fits.isSuccess());
    }

    @Test
    void behindAFullWindowAnIdleSendersWriteOvertakesAnotherSendersBacklog() {
        // alice fills the window (her writes go straight to the channel while nothing waits) and queues more
        // than a quantum behind it
        EmbeddedChannel channel = new EmbeddedChannel();
        HeldFlushes socket = new HeldFlushes();
        channel.pipeline().addFirst(socket);
        FairOutbound.attach(channel, 1 << 20, "own address");
        FairOutbound fair = FairOutbound.of(channel);
        int size = 4 * 1024;
        int inWindow = FairOutbound.WINDOW_BYTES / size;
        for (int i = 0; i < inWindow + 6; i++) {
            fair.write("alice's address", message(1, size), channel.newPromise());
        }
        ChannelPromise bobs = channel.newPromise();
        fair.write("bob's address", message(2, size), bobs);
        assertFalse(bobs.isDone(), "the window is full: bob's write waits in the queue");
        socket.holding = false;
        List<Integer> order = new ArrayList<>();
        for (int round = 0; round < 20; round++) {
            channel.flush();
            channel.runPendingTasks();
            order.addAll(written(channel));
        }
        assertEquals(inWindow + 7, order.size(), "every write reached the socket: " + order);
        int quantum = FairOutbound.QUANTUM_BYTES / size;
        int bob = order.indexOf(2);
        assertTrue(bob >= inWindow && bob <= inWindow + quantum,
                "bob's write goes after the window and at most one quantum of alice's backlog: " + order);
        assertEquals(1, order.get(order.size() - 1), "alice's backlog is longer than a quantum: " + order);
        assertTrue(bobs.isSuccess());
    }
}
