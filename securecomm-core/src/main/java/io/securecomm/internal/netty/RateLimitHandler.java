package io.securecomm.internal.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.securecomm.internal.limits.RateLimiter;
import io.securecomm.internal.relay.Disconnect;
import io.securecomm.internal.relay.RequestIds;
import io.securecomm.relay.RateLimit;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Message;
import java.util.Objects;

/**
 * Applies one client's {@link RateLimiter} to the messages it sends: an admitted message goes on to the relay
 * logic; a rejected one is dropped and, if it carries a request id, answered with (a {@code Ping} or {@code Pong}
 * is dropped silently)
 * {@link ErrorCode#RATE_LIMITED}; persistent abuse fires a {@link Disconnect} with {@link ByeReason#RATE_LIMITED}.
 * The hello and the goodbye are never limited (there is one of each), and neither is a malformed message (the
 * relay logic closes the connection on it anyway).
 *
 * <p>Not sharable: one per channel, confined to its event loop.
 */
final class RateLimitHandler extends ChannelInboundHandlerAdapter {
    private final RateLimit limit;
    private RateLimiter limiter;
    private boolean disconnecting;

    RateLimitHandler(RateLimit limit) {
        this.limit = Objects.requireNonNull(limit, "limit");
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        limiter = new RateLimiter(limit, EventLoopTime.nanoTime(ctx.executor()));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Message message) || message instanceof ClientHello || message instanceof Bye) {
            ctx.fireChannelRead(msg);
            return;
        }
        switch (limiter.onRequest(EventLoopTime.nanoTime(ctx.executor()))) {
            case ADMIT -> ctx.fireChannelRead(msg);
            case REJECT -> {
                ReferenceCountUtil.release(msg);
                long requestId = RequestIds.of(message);
                if (requestId != 0) {
                    ctx.writeAndFlush(new ErrorReply(requestId, ErrorCode.RATE_LIMITED, "you may send "
                            + limit.messagesPerSecond() + " messages per second (bursts of " + limit.burstMessages()
                            + "); this one was dropped"));
                }
            }
            case DISCONNECT -> {
                ReferenceCountUtil.release(msg);
                if (!disconnecting) {
                    disconnecting = true;
                    ctx.fireUserEventTriggered(new Disconnect(ByeReason.RATE_LIMITED, "you kept sending faster than "
                            + limit.messagesPerSecond() + " messages per second after being told to slow down"));
                }
            }
        }
    }
}
