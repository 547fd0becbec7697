package io.securecomm.internal.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.concurrent.ScheduledFuture;
import io.securecomm.internal.relay.Disconnect;
import io.securecomm.wire.ByeReason;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Back-pressure: a client that does not take what the relay sends it is disconnected with a {@link Disconnect}
 * for {@link ByeReason#TOO_SLOW}, in either of two ways:
 * <ul>
 *   <li>its outbound queue reaches its high water mark (the relay's {@code slowReaderLimitBytes}), so the relay's
 *       memory for it stays bounded;</li>
 *   <li>bytes wait for it and it takes none of them for {@code slowReaderTimeout}, so a reader that stalls with
 *       little queued cannot leave the senders of those messages without an answer (a write's outcome is known
 *       only when the socket takes it).</li>
 * </ul>
 * The relay logic stops routing to the client at once, so no other client waits for it.
 *
 * <p>The stall check starts when the Noise handshake completes (before that the handshake timeout applies) and
 * looks every half timeout at the head of the channel's outbound buffer: the same message with the same progress
 * twice in a row, a timeout apart, is a stall. Not sharable: one per channel, confined to its event loop.
 */
final class SlowReaderHandler extends ChannelInboundHandlerAdapter {
    private final int limitBytes;
    private final long timeoutNanos;
    private boolean fired;
    private ScheduledFuture<?> timer;
    private final Stall stall = new Stall();

    SlowReaderHandler(int limitBytes, Duration timeout) {
        this.limitBytes = limitBytes;
        this.timeoutNanos = Objects.requireNonNull(timeout, "timeout").toNanos();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (!ctx.channel().isWritable()) {
            fire(ctx, "you did not read what the relay sent; your queue reached its limit of " + limitBytes
                    + " bytes");
        }
        super.channelWritabilityChanged(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof NoiseHandler.Established && timer == null && !fired) {
            schedule(ctx);
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        fired = true;
        if (timer != null) {
            timer.cancel(false);
        }
        super.channelInactive(ctx);
    }

    private void schedule(ChannelHandlerContext ctx) {
        timer = ctx.executor().schedule(() -> check(ctx), Math.max(1, timeoutNanos / 2), TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        if (fired || !ctx.channel().isActive()) {
            return;
        }
        ChannelOutboundBuffer buffer = ctx.channel().unsafe().outboundBuffer();
        Object head = buffer == null ? null : buffer.current();
        long stalledFor = stall.observe(head, head == null ? 0 : buffer.currentProgress(),
                EventLoopTime.nanoTime(ctx.executor()));
        if (stalledFor >= timeoutNanos) {
            fire(ctx, "you took none of what the relay sent for " + TimeUnit.NANOSECONDS.toMillis(stalledFor)
                    + " ms; the limit is " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms");
            return;
        }
        schedule(ctx);
    }

    private void fire(ChannelHandlerContext ctx, String detail) {
        if (fired) {
            return;
        }
        fired = true;
        if (timer != null) {
            timer.cancel(false);
        }
        ctx.fireUserEventTriggered(new Disconnect(ByeReason.TOO_SLOW, detail));
    }

    /**
     * How long the head of an outbound queue has stood still, from successive looks at it (sans I/O). Compares by
     * identity only: it never touches the message it remembers.
     */
    static final class Stall {
        private Object head;
        private long progress;
        private long sinceNanos;

        /**
         * Records one look at the queue.
         *
         * @param currentHead the first unwritten message, or null if nothing waits
         * @param currentProgress how many of its bytes were written
         * @param nowNanos the time of the look
         * @return for how long the queue has not moved, 0 if it moved or is empty
         */
        long observe(Object currentHead, long currentProgress, long nowNanos) {
            if (currentHead == null) {
                head = null;
                return 0;
            }
            if (currentHead != head || currentProgress != progress) {
                head = currentHead;
                progress = currentProgress;
                sinceNanos = nowNanos;
                return 0;
            }
            return nowNanos - sinceNanos;
        }
    }
}
