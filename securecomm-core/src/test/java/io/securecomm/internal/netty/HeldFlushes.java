package io.securecomm.internal.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;

/**
 * A socket that takes nothing while {@link #holding}: added first to an embedded channel's pipeline, it holds the
 * channel's flushes back, so that writes stay in the channel's outbound buffer and their promises wait.
 */
final class HeldFlushes extends ChannelOutboundHandlerAdapter {
    /** Whether flushes are held back; set it to false to let the next flush through. */
    boolean holding = true;

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (!holding) {
            ctx.flush();
        }
    }
}
