package io.securecomm.internal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.securecomm.crypto.insecure.LegacyHandshake;
import io.securecomm.crypto.insecure.LegacyHandshakeException;
import io.securecomm.crypto.insecure.LegacyHello;
import io.securecomm.crypto.insecure.LegacyTransport;

/**
 * INSECURE, for teaching: the Netty adapter of the legacy suite ({@link LegacyHandshake}, {@link
 * LegacyTransport}), in the pipeline slot of the {@link NoiseHandler} and with the same contract towards the
 * handlers above (plaintext {@code byte[]} up and down, an {@link NoiseHandler.Established} event when the
 * handshake is done). It authenticates nothing: the event carries the peer's 4-byte Diffie-Hellman public value
 * in place of an identity key (there is none), and an empty handshake hash.
 *
 * <p>Only constructed when a relay or a client was explicitly configured with {@code insecureLegacyCrypto}.
 * Not sharable: one per channel.
 */
final class LegacyHandler extends ChannelDuplexHandler {
    private final LegacyHandshake handshake;
    private final boolean client;
    private LegacyTransport transport;
    private boolean failed;

    private LegacyHandler(boolean client) {
        this.client = client;
        this.handshake = client ? LegacyHandshake.client() : LegacyHandshake.relay();
    }

    /**
     * The client side: sends the legacy client hello as soon as the connection is up.
     *
     * @return a handler
     */
    static LegacyHandler forClient() {
        return new LegacyHandler(true);
    }

    /**
     * The relay side: answers the client hello with the relay hello, which names the suite.
     *
     * @return a handler
     */
    static LegacyHandler forRelay() {
        return new LegacyHandler(false);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (client) {
            ctx.writeAndFlush(handshake.writeClientHello())
                    .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!(msg instanceof byte[] frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (failed) {
            return;
        }
        if (transport != null) {
            ctx.fireChannelRead(transport.open(frame));
            return;
        }
        try {
            byte[] peerValue;
            if (client) {
                transport = handshake.readRelayHello(frame);
                peerValue = publicValueBytes(LegacyHello.decode(frame).publicValue());
            } else {
                ctx.writeAndFlush(handshake.readClientHello(frame))
                        .addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
                transport = handshake.split();
                peerValue = publicValueBytes(handshake.peerPublicValue());
            }
            ctx.fireUserEventTriggered(new NoiseHandler.Established(peerValue, new byte[0]));
        } catch (LegacyHandshakeException e) {
            failed = true;
            ctx.fireExceptionCaught(e);
            ctx.close();
        }
    }

    private static byte[] publicValueBytes(long value) {
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof ByteBuf encoded) {
            // One encoding shared by the recipients of a fan-out (RelayHandler): this suite seals arrays.
            byte[] plaintext;
            try {
                plaintext = ByteBufUtil.getBytes(encoded);
            } finally {
                encoded.release();
            }
            write(ctx, plaintext, promise);
            return;
        }
        if (msg instanceof byte[] plaintext) {
            if (transport == null || failed) {
                promise.setFailure(new IllegalStateException("no legacy session: the handshake has not completed"));
                return;
            }
            ctx.write(transport.seal(plaintext), promise);
            return;
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (transport != null) {
            transport.close();
        }
        super.channelInactive(ctx);
    }
}
