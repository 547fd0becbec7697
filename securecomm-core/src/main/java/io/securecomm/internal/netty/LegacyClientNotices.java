package io.securecomm.internal.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.securecomm.client.HandshakeFailedException;
import io.securecomm.client.RelayKeyDecision;
import io.securecomm.crypto.insecure.LegacyHandshakeException;

/**
 * INSECURE, for teaching: what a client's legacy-suite handshake ({@link LegacyHandler}) tells the session, in the
 * pipeline slot of {@link RelayKeyCheck}. The suite authenticates nothing, so the session learns of no relay key
 * ({@link RelayKeyDecision#NOT_AUTHENTICATED_INSECURE_LEGACY}); and its failures read as the legacy suite's: a failed
 * legacy handshake, or a relay that closes the connection after the legacy hello because it does not accept the
 * suite.
 *
 * <p>Only in the pipeline of a client whose options ask for {@code insecureLegacyCrypto}. One per connection.
 */
final class LegacyClientNotices extends ChannelInboundHandlerAdapter {
    private final String relayAddress;
    private boolean established;

    LegacyClientNotices(String relayAddress) {
        this.relayAddress = relayAddress;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof NoiseHandler.Established) {
            established = true;
            // The legacy suite authenticates nothing: there is no relay key to pin or show.
            ctx.fireUserEventTriggered(new RelayAuthenticated(new byte[0],
                    RelayKeyDecision.NOT_AUTHENTICATED_INSECURE_LEGACY));
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof LegacyHandshakeException legacy) {
            ctx.fireExceptionCaught(new HandshakeFailedException("the INSECURE legacy handshake with the relay at "
                    + relayAddress + " failed: " + legacy.getMessage(), legacy));
        } else {
            ctx.fireExceptionCaught(cause);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!established) {
            ctx.fireExceptionCaught(new HandshakeFailedException("the relay at " + relayAddress + " closed the"
                    + " connection during the handshake after the INSECURE legacy hello: it does not accept the legacy"
                    + " suite (a relay accepts it only when started with --insecure-legacy-crypto)"));
        }
        super.channelInactive(ctx);
    }
}
