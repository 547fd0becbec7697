package io.securecomm.internal.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.securecomm.internal.limits.TokenBucket;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.Message;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * The client's pace towards the relay: every message the relay's rate limiter counts (all but the hello and
 * the goodbye) waits, in order, for a token of a bucket that mirrors the relay's limit, so the client is never
 * refused for sending too fast. End-to-end encryption sends in bursts (a first public message to a room of N
 * members also sets up N sessions); the bucket spreads them out instead of losing some to the relay's limit.
 *
 * <p>Placed above the message codec. Not sharable: one per channel, confined to its event loop.
 */
final class OutboundPacer extends ChannelOutboundHandlerAdapter {
    private final int requestsPerSecond;
    private final int burst;
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private TokenBucket bucket;
    private ScheduledFuture<?> wakeUp;

    private record Queued(Object message, ChannelPromise promise) {}

    OutboundPacer(int requestsPerSecond, int burst) {
        this.requestsPerSecond = requestsPerSecond;
        this.burst = burst;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        bucket = new TokenBucket(burst, requestsPerSecond, EventLoopTime.nanoTime(ctx.executor()));
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof Message) || msg instanceof ClientHello || msg instanceof Bye) {
            ctx.write(msg, promise);
            return;
        }
        queue.addLast(new Queued(msg, promise));
        drain(ctx);
    }

    /** Writes what the bucket allows now, and wakes up when the next token is due if more waits. */
    private void drain(ChannelHandlerContext ctx) {
        boolean wrote = false;
        while (!queue.isEmpty() && bucket.tryAcquire(EventLoopTime.nanoTime(ctx.executor()))) {
            Queued q = queue.removeFirst();
            ctx.write(q.message(), q.promise());
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
        if (!queue.isEmpty() && wakeUp == null) {
            long second = TimeUnit.SECONDS.toNanos(1);
            long oneToken = (second + requestsPerSecond - 1) / requestsPerSecond; // rounded up: the token is there
            wakeUp = ctx.executor().schedule(() -> {
                wakeUp = null;
                drain(ctx);
            }, oneToken, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) throws Exception {
        failQueued();
        super.close(ctx, promise);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        failQueued();
    }

    /** The connection is ending: what still waits is not sent, and its senders learn so. */
    private void failQueued() {
        if (wakeUp != null) {
            wakeUp.cancel(false);
            wakeUp = null;
        }
        Queued q;
        while ((q = queue.pollFirst()) != null) {
            ReferenceCountUtil.release(q.message());
            q.promise().tryFailure(new ClosedChannelException());
        }
    }
}
