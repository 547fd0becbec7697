package io.securecomm.internal.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.securecomm.internal.relay.Disconnect;
import io.securecomm.wire.ByeReason;

/**
 * Back-pressure: when the channel's outbound queue reaches its high water mark (the relay's
 * {@code slowReaderLimitBytes}), the client is not taking what the relay sends it, and this handler fires a
 * {@link Disconnect} with {@link ByeReason#TOO_SLOW}. The relay logic stops routing to the client at once, so
 * the relay's memory for it stays bounded and no other client waits for it.
 *
 * <p>Not sharable: one per channel, confined to its event loop.
 */
final class SlowReaderHandler extends ChannelInboundHandlerAdapter {
    private final int limitBytes;
    private boolean fired;

    SlowReaderHandler(int limitBytes) {
        this.limitBytes = limitBytes;
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
        if (!ctx.channel().isWritable() && !fired) {
            fired = true;
            ctx.fireUserEventTriggered(new Disconnect(ByeReason.TOO_SLOW, "you did not read what the relay sent; "
                    + "your queue reached its limit of " + limitBytes + " bytes"));
        }
        super.channelWritabilityChanged(ctx);
    }
}
