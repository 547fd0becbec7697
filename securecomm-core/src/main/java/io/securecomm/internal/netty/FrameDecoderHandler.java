package io.securecomm.internal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.securecomm.wire.FrameDecoder;
import java.nio.ByteBuffer;

/**
 * Inbound: splits the TCP byte stream into frames with {@link FrameDecoder}, emitting each payload as a
 * {@code byte[]}. A framing error ({@link io.securecomm.wire.FrameException}) propagates as that exception; the
 * handlers above close the connection. Not sharable: one per channel, for the channel's life (it keeps a partial
 * frame, which no other handler could take over).
 *
 * <p>{@link FrameDecoder} keeps a partial frame itself and consumes every buffer whole, so nothing is cumulated
 * here: each buffer read is decoded and released at once. (Netty's {@code ByteToMessageDecoder}, used until issue
 * 18, stored every buffer read in the handler for the length of the read, a store into a long-lived object per read
 * that G1 pays for, to cumulate bytes this decoder never leaves.) As that decoder did, it asks for another read when
 * one produced no frame while the channel does not read by itself, so that a frame split across reads completes.
 */
public final class FrameDecoderHandler extends ChannelInboundHandlerAdapter {
    private final FrameDecoder decoder;
    /** Whether a frame was handed on since the last read completed. */
    private boolean handedOn;
    /** How many buffers were read from the socket so far. */
    private long buffers;

    /**
     * Creates the handler.
     *
     * @param maxFrameLengthBytes the largest frame payload accepted
     */
    public FrameDecoderHandler(int maxFrameLengthBytes) {
        this.decoder = new FrameDecoder(maxFrameLengthBytes);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!(msg instanceof ByteBuf in)) {
            ctx.fireChannelRead(msg);
            return;
        }
        buffers++;
        try {
            while (in.isReadable()) {
                ByteBuffer view = in.nioBuffer();
                int before = view.position();
                byte[] payload = decoder.decode(view);
                in.skipBytes(view.position() - before);
                if (payload == null) {
                    return; // every byte was taken: the rest of the frame comes with a later read
                }
                handedOn = true;
                ctx.fireChannelRead(payload);
            }
        } finally {
            in.release();
        }
    }

    /**
     * How many buffers this handler has taken from the socket so far: the frames it hands on while this count stays
     * the same came in one buffer, read before any of them was handed on.
     *
     * @return the count, from 0
     */
    public long buffersRead() {
        return buffers;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (!handedOn && !ctx.channel().config().isAutoRead()) {
            ctx.read();
        }
        handedOn = false;
        ctx.fireChannelReadComplete();
    }
}
