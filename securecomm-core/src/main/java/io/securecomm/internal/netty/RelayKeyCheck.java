package io.securecomm.internal.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.HandshakeFailedException;
import io.securecomm.client.RelayIdentityMismatchException;
import io.securecomm.client.RelayKeyDecision;
import java.io.UncheckedIOException;

/**
 * The client's check of the relay's key: the {@link NoiseHandler}'s {@link NoiseHandler.RemoteStaticCheck}, which
 * asks the options' {@code RelayTrustStore} as soon as the handshake has authenticated the key and before the client
 * reveals its own, and the handler after it that tells the session, with a {@link RelayAuthenticated}, what the
 * handshake established and what the store decided.
 *
 * <p>One per connection, confined to its event loop.
 */
final class RelayKeyCheck extends ChannelInboundHandlerAdapter implements NoiseHandler.RemoteStaticCheck {
    private final ChatClientOptions options;
    private RelayKeyDecision decision;

    RelayKeyCheck(ChatClientOptions options) {
        this.options = options;
    }

    @Override
    public void check(byte[] relayKey) throws RelayIdentityMismatchException, HandshakeFailedException {
        try {
            decision = options.trustStore().verify(options.relayAddress(), relayKey);
        } catch (UncheckedIOException e) {
            throw new HandshakeFailedException("cannot check the relay's key: " + e.getMessage(), e);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof NoiseHandler.Established established && decision != null) {
            ctx.fireUserEventTriggered(new RelayAuthenticated(established.remoteStaticPublicKey(), decision));
        } else {
            super.userEventTriggered(ctx, evt);
        }
    }
}
