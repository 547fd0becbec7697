package io.securecomm.internal.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.securecomm.client.InsecureSuiteRefusedException;
import io.securecomm.crypto.insecure.LegacyHandshakeException;
import io.securecomm.crypto.insecure.LegacySuite;

/**
 * A Noise client's refusal of a relay that speaks only the INSECURE legacy suite: such a relay answers Noise
 * message 1 with its legacy offer, which this handler recognizes in the first frame and reports as an {@link
 * InsecureSuiteRefusedException}, precisely, instead of a broken Noise message 2; the connection closes, and no
 * further byte is sent. Never a downgrade. It then leaves the pipeline: every later frame is the Noise handler's.
 *
 * <p>Placed before the {@link NoiseHandler} of a client's pipeline. One per connection.
 */
final class LegacyOfferRefusal extends ChannelInboundHandlerAdapter {
    private final String relayAddress;

    LegacyOfferRefusal(String relayAddress) {
        this.relayAddress = relayAddress;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof byte[] frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        ctx.pipeline().remove(this);
        if (LegacySuite.isLegacyFrame(frame)) {
            ctx.fireExceptionCaught(new InsecureSuiteRefusedException(relayAddress, new LegacyHandshakeException(
                    LegacyHandshakeException.Reason.LEGACY_ONLY_PEER,
                    "the relay answered with the INSECURE legacy suite instead of Noise")));
            ctx.close();
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
