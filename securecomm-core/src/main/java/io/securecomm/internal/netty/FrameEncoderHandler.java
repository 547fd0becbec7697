package io.securecomm.internal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.securecomm.wire.FrameEncoder;

/**
 * Outbound: prefixes each {@code byte[]} payload with its 2-byte length ({@link FrameEncoder}). A {@code ByteBuf}
 * passes through untouched: it is a frame already ({@link NoiseHandler} seals records straight into framed
 * buffers). Sharable.
 */
@ChannelHandler.Sharable
public final class FrameEncoderHandler extends MessageToByteEncoder<byte[]> {
    /** The one instance; the handler is stateless. */
    public static final FrameEncoderHandler INSTANCE = new FrameEncoderHandler();

    private FrameEncoderHandler() {
        super(byte[].class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, byte[] payload, ByteBuf out) {
        out.writeBytes(FrameEncoder.encode(payload));
    }
}
