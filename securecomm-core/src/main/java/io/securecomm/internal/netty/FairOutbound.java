package io.securecomm.internal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.securecomm.internal.relay.FairQueue;
import java.nio.channels.ClosedChannelException;
import java.util.List;

/**
 * The relay's writes from other connections to one connection, taken in fairly across their senders (grouped by remote
 * address: the connections of one address are one sender here, with one share): the Netty side
 * of a {@link FairQueue}. Only {@value #WINDOW_BYTES} bytes of them wait in the channel's own outbound buffer at a
 * time; the rest waits here, per sender, and goes on as the recipient takes what was written. So a message from a
 * sender with nothing queued overtakes another sender's backlog instead of waiting behind it in the channel, and what
 * does not fit in the queue's limits is refused to its sender with {@link RecipientQueueFull} (the relay answers it
 * as for a recipient that is too slow), never dropped silently.
 *
 * <p>Attached to the channel ({@link #of}); confined to its event loop, where {@link Outbox} hands over the writes.
 * When the channel closes, what still waits fails with a {@link ClosedChannelException}.
 */
final class FairOutbound {
    /** Bytes handed to the channel's outbound buffer and not yet written to the socket, at most (plus one message). */
    static final int WINDOW_BYTES = 32 * 1024;
    /**
     * The socket send buffer of a relay connection (the kernel doubles it): a first-come queue below this one, kept
     * small so that a message that goes next here is not queued behind megabytes there. It bounds one connection's
     * throughput to about twice this many bytes per round trip (5 MB/s at 100 ms), ample for chat.
     */
    static final int SOCKET_SEND_BUFFER_BYTES = 256 * 1024;
    /** The bytes each sender with a backlog is given per round. */
    static final int QUANTUM_BYTES = 16 * 1024;
    /** The most one sender may have queued for one recipient. */
    static final int SENDER_LIMIT_BYTES = 128 * 1024;

    private static final AttributeKey<FairOutbound> KEY = AttributeKey.valueOf(FairOutbound.class, "fair-outbound");

    private final Channel channel;
    private final Object group;
    private final FairQueue<Object, Write> queue;
    private long inFlightBytes;

    private FairOutbound(Channel channel, long limitBytes, Object group) {
        this.channel = channel;
        this.group = group;
        this.queue = new FairQueue<>(QUANTUM_BYTES, (int) Math.min(SENDER_LIMIT_BYTES, limitBytes), limitBytes);
    }

    /**
     * Gives a relay connection its fair queue: writes from other connections to it then go through {@link #write}.
     *
     * @param channel a relay connection, before it is active
     * @param limitBytes the most all senders together may have queued for it (the slow-reader limit)
     * @param group the group this connection sends as (its remote address's key): the connections of one group
     *     share one queue, one quantum and one limit in each recipient's fair queue
     */
    static void attach(Channel channel, int limitBytes, Object group) {
        FairOutbound fair = new FairOutbound(channel, limitBytes, group);
        channel.attr(KEY).set(fair);
        // Notified on the channel's event loop.
        channel.closeFuture().addListener(f -> fair.failAll());
    }

    /**
     * The fair queue of a connection.
     *
     * @param channel a connection
     * @return its fair queue, or {@code null} if it has none (it is then written to directly)
     */
    static FairOutbound of(Channel channel) {
        return channel.attr(KEY).get();
    }

    /**
     * The group a connection sends as: the key of its remote address, given at {@link #attach}.
     *
     * @param channel a connection
     * @return its group, or the channel itself if it has no fair queue (a group of one)
     */
    static Object groupOf(Channel channel) {
        FairOutbound fair = of(channel);
        return fair == null ? channel : fair.group;
    }

    /**
     * Queues a write from another connection and writes what the window allows; the caller flushes.
     *
     * @param sender the group of the connection the message comes from ({@link #groupOf})
     * @param message an encoded message (released here if it is refused)
     * @param promise completed when the message is written to the socket, or failed with {@link RecipientQueueFull}
     */
    void write(Object sender, ByteBuf message, ChannelPromise promise) {
        if (!channel.isActive()) {
            fail(new Write(message, promise), new ClosedChannelException());
            return;
        }
        int bytes = message.readableBytes();
        if (inFlightBytes < WINDOW_BYTES && queue.passesAtOnce(bytes)) {
            // What the queue would hand out at once, written without it: taken into the queue and handed out, the
            // message would be stored in the queue's long-lived map and list, and G1 pays for each store into an
            // old object (a card to refine, about a microsecond each at 1,000 clients: issue 18).
            send(message, bytes, promise);
        } else {
            List<Write> refused = queue.offer(sender, new Write(message, promise), bytes);
            for (Write w : refused) {
                fail(w, RecipientQueueFull.INSTANCE);
            }
            pump();
        }
        if (inFlightBytes >= WINDOW_BYTES) {
            // As FlushBatch.makeRoom: the socket may take the window at once, and then the window has room again
            // (its writes complete, and their listeners hand on what waits here). Queued behind an unflushed
            // window, a burst of a sender that the recipient keeps up with would be refused.
            channel.flush();
        }
    }

    /** Hands the channel the next writes, fairly, while its window has room. */
    private void pump() {
        Write next;
        while (inFlightBytes < WINDOW_BYTES && (next = queue.poll()) != null) {
            send(next.message, next.message.readableBytes(), next.promise);
        }
    }

    /** Writes a message to the channel inside the window; {@code promise} learns how the write went. */
    private void send(ByteBuf message, int bytes, ChannelPromise promise) {
        inFlightBytes += bytes;
        ChannelPromise down = channel.newPromise();
        down.addListener(new Sent(bytes, promise));
        channel.write(message, down);
    }

    /** One write in the window: when it reaches the socket (or fails), the window has room for more. */
    private final class Sent implements ChannelFutureListener {
        private final int bytes;
        private final ChannelPromise promise;

        Sent(int bytes, ChannelPromise promise) {
            this.bytes = bytes;
            this.promise = promise;
        }

        @Override
        public void operationComplete(ChannelFuture f) {
            inFlightBytes -= bytes;
            if (!promise.isVoid()) {
                if (f.isSuccess()) {
                    promise.trySuccess();
                } else {
                    promise.tryFailure(f.cause());
                }
            }
            // Flushed after this iteration of the loop.
            if (!queue.isEmpty() && channel.isActive()) {
                pump();
                FlushBatch.flushSoon(channel);
            }
        }
    }

    private void failAll() {
        for (Write w : queue.clear()) {
            fail(w, new ClosedChannelException());
        }
    }

    private static void fail(Write w, Throwable cause) {
        ReferenceCountUtil.release(w.message);
        if (!w.promise.isVoid()) {
            w.promise.tryFailure(cause);
        }
    }

    /** One write waiting in the queue. */
    private record Write(ByteBuf message, ChannelPromise promise) {}

    /**
     * Why a write from another connection was refused: its sender had too much queued for this recipient, or it
     * was pushed out for a sender with less queued. The relay answers it as a full queue.
     */
    static final class RecipientQueueFull extends Exception {
        private static final long serialVersionUID = 1L;
        static final RecipientQueueFull INSTANCE = new RecipientQueueFull();

        private RecipientQueueFull() {
            super("the recipient's queue has no room for this sender", null, false, false);
        }
    }
}
