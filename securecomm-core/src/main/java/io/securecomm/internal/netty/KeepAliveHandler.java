package io.securecomm.internal.netty;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import io.securecomm.internal.relay.Disconnect;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.Ping;
import io.securecomm.wire.Pong;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Keeps an established session alive, or ends it when the client has gone quiet: after {@code pingInterval}
 * without a complete message it sends a {@link Ping}; after {@code idleTimeout} it fires a {@link Disconnect}
 * with {@link ByeReason#IDLE_TIMEOUT}. It sits above the message codec, so only complete, authentic messages
 * count as activity: a slowloris peer that trickles a frame a byte at a time is idle. It consumes the client's
 * {@link Pong}s (their only purpose is to be activity).
 *
 * <p>It starts when the Noise handshake completes; before that the handshake timeout applies. Not sharable:
 * one per channel, confined to its event loop.
 */
final class KeepAliveHandler extends ChannelDuplexHandler {
    private final long pingIntervalNanos;
    private final long idleTimeoutNanos;
    private long lastReadNanos;
    private long pingNonce;
    private boolean pingSent;
    private ScheduledFuture<?> timer;
    private boolean stopped;

    KeepAliveHandler(Duration pingInterval, Duration idleTimeout) {
        this.pingIntervalNanos = Objects.requireNonNull(pingInterval, "pingInterval").toNanos();
        this.idleTimeoutNanos = Objects.requireNonNull(idleTimeout, "idleTimeout").toNanos();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof NoiseHandler.Established && timer == null && !stopped) {
            lastReadNanos = EventLoopTime.nanoTime(ctx.executor());
            schedule(ctx, pingIntervalNanos);
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastReadNanos = EventLoopTime.nanoTime(ctx.executor());
        pingSent = false;
        if (msg instanceof Pong) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }

    private void schedule(ChannelHandlerContext ctx, long delayNanos) {
        timer = ctx.executor().schedule(() -> check(ctx), Math.max(1, delayNanos), TimeUnit.NANOSECONDS);
    }

    private void check(ChannelHandlerContext ctx) {
        if (stopped || !ctx.channel().isActive()) {
            return;
        }
        long silent = EventLoopTime.nanoTime(ctx.executor()) - lastReadNanos;
        if (silent >= idleTimeoutNanos) {
            stopped = true;
            ctx.fireUserEventTriggered(new Disconnect(ByeReason.IDLE_TIMEOUT,
                    "no message from you for " + TimeUnit.NANOSECONDS.toMillis(silent) + " ms; the idle timeout is "
                            + TimeUnit.NANOSECONDS.toMillis(idleTimeoutNanos) + " ms"));
            return;
        }
        if (silent >= pingIntervalNanos && !pingSent) {
            pingSent = true;
            ctx.writeAndFlush(new Ping(++pingNonce));
        }
        long nextPing = pingSent ? Long.MAX_VALUE : pingIntervalNanos - silent;
        schedule(ctx, Math.min(nextPing, idleTimeoutNanos - silent));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
        }
        super.channelInactive(ctx);
    }
}
