package io.securecomm.internal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.securecomm.wire.FrameDecoder;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Inbound: splits the TCP byte stream into frames with {@link FrameDecoder}, emitting each payload as a
 * {@code byte[]}. A framing error ({@link io.securecomm.wire.FrameException}) propagates as an
 * exception; the handlers above close the connection. Not sharable: one per channel.
 */
public final class FrameDecoderHandler extends ByteToMessageDecoder {
    private final FrameDecoder decoder;

    /**
     * Creates the handler.
     *
     * @param maxFrameLengthBytes the largest frame payload accepted
     */
    public FrameDecoderHandler(int maxFrameLengthBytes) {
        this.decoder = new FrameDecoder(maxFrameLengthBytes);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        while (in.isReadable()) {
            ByteBuffer view = in.nioBuffer();
            int before = view.position();
            byte[] payload = decoder.decode(view);
            in.skipBytes(view.position() - before);
            if (payload == null) {
                return;
            }
            out.add(payload);
        }
    }
}
