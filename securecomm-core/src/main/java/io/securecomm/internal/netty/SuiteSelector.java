package io.securecomm.internal.netty;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.securecomm.crypto.insecure.LegacyHello;
import io.securecomm.crypto.insecure.LegacySuite;
import io.securecomm.relay.CipherSuite;
import io.securecomm.relay.InsecureLegacyMode;
import io.securecomm.relay.RelayListener;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Relay side, installed only when the relay was configured to speak the INSECURE legacy suite: looks at a
 * connection's first frame, and either leaves the pipeline as it is (a Noise message 1) or has it turned into the
 * legacy suite's (a frame starting with {@code SCLEGACY}; see {@link RelayPipeline#useLegacySuite}). In
 * {@link InsecureLegacyMode#ONLY} a Noise client gets a legacy-only offer and is disconnected. Announces the choice
 * to the relay's listener, then removes itself. Not sharable.
 */
final class SuiteSelector extends ChannelInboundHandlerAdapter {
    private final InsecureLegacyMode mode;
    private final RelayListener listener;
    private final Consumer<ChannelPipeline> useLegacySuite;

    SuiteSelector(InsecureLegacyMode mode, RelayListener listener, Consumer<ChannelPipeline> useLegacySuite) {
        if (mode == InsecureLegacyMode.OFF) {
            throw new IllegalArgumentException("a relay without the legacy suite has no suite selector");
        }
        this.mode = mode;
        this.listener = listener;
        this.useLegacySuite = Objects.requireNonNull(useLegacySuite, "useLegacySuite");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof byte[] frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        boolean legacy = LegacySuite.isLegacyFrame(frame);
        if (!legacy && mode == InsecureLegacyMode.ONLY) {
            ctx.writeAndFlush(LegacyHello.legacyOnlyOffer().encode()).addListener(ChannelFutureListener.CLOSE);
            ctx.pipeline().remove(this);
            return;
        }
        if (legacy) {
            useLegacySuite.accept(ctx.pipeline());
        }
        announce(ctx, legacy);
        ctx.pipeline().remove(this);
        ctx.fireChannelRead(frame);
    }

    private void announce(ChannelHandlerContext ctx, boolean legacy) {
        try {
            listener.onSuiteSelected(ctx.channel().remoteAddress(), legacy ? CipherSuite.INSECURE_LEGACY
                    : CipherSuite.NOISE);
        } catch (RuntimeException listenerBug) {
            // ignored, as RelayListener documents: an operator's listener must not break a session
        }
    }
}
