package io.securecomm.internal.netty;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds what waits for a client's own thread, and pushes back on the relay when it is full: each message handed up
 * to the client's handler (which runs on the client's thread, where Netty queues it) counts until the handler has
 * processed it; at {@value #HIGH_WATER_MESSAGES} waiting, the connection stops reading from the socket, and it reads
 * again once the client's thread is down to {@value #LOW_WATER_MESSAGES}.
 *
 * <p>Why: the client's thread does the end-to-end work, which a hostile sender can make expensive (a forged first
 * message costs an X3DH); a client that kept reading queued everything in an unbounded event queue, fell tens of
 * seconds behind, and the relay never noticed. Stopping the reads makes TCP push back, so the relay's slow-reader
 * limit engages: the relay stops routing to this client (its senders hear {@code RECIPIENT_TOO_SLOW}) or ends its
 * session as too slow, instead of this client's memory and latency growing without bound.
 *
 * <p>Both decisions are made on the connection's event loop, from the count as it is then, so a resume that races a
 * pause cannot leave the connection paused with nothing left to process. Placed just below the client's handler; one
 * per connection.
 */
final class InboundWindow extends ChannelInboundHandlerAdapter {
    /** Messages waiting for the client's thread at which the connection stops reading. */
    static final int HIGH_WATER_MESSAGES = 256;
    /** Messages waiting at which it reads again. */
    static final int LOW_WATER_MESSAGES = 64;

    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger mostWaiting = new AtomicInteger();
    private volatile Channel channel;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        int n = waiting.incrementAndGet();
        mostWaiting.accumulateAndGet(n, Math::max);
        if (n >= HIGH_WATER_MESSAGES && ctx.channel().config().isAutoRead()) {
            ctx.channel().config().setAutoRead(false);
        }
        ctx.fireChannelRead(msg);
    }

    /** The client's thread processed one message handed up: called there, once per message. */
    void processed() {
        if (waiting.decrementAndGet() == LOW_WATER_MESSAGES) {
            Channel ch = channel;
            if (ch != null) {
                ch.eventLoop().execute(this::resumeIfDrained);
            }
        }
    }

    private void resumeIfDrained() {
        Channel ch = channel;
        if (ch != null && waiting.get() <= LOW_WATER_MESSAGES && !ch.config().isAutoRead()) {
            ch.config().setAutoRead(true);
        }
    }

    /**
     * The most messages that ever waited at once, for tests.
     *
     * @return the high mark
     */
    int mostWaiting() {
        return mostWaiting.get();
    }
}
