package io.securecomm.internal.netty;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageCodec;
import io.securecomm.wire.MalformedMessageException;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageCodec;
import java.util.List;

/**
 * Between the Noise handler and the logic: decrypted record plaintexts ({@code byte[]}) to
 * {@link Message}s and back, with {@link MessageCodec}. A plaintext that does not parse is passed up as
 * a {@link Malformed} value rather than an exception, so the logic can answer it over the still-working
 * encrypted channel before closing. Sharable.
 */
@ChannelHandler.Sharable
public final class MessageCodecHandler extends MessageToMessageCodec<byte[], Message> {
    /** The one instance; the handler is stateless. */
    public static final MessageCodecHandler INSTANCE = new MessageCodecHandler();

    private MessageCodecHandler() {
        super(byte[].class, Message.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Message msg, List<Object> out) {
        out.add(MessageCodec.encode(msg));
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, byte[] plaintext, List<Object> out) {
        try {
            out.add(MessageCodec.decode(plaintext));
        } catch (MalformedMessageException e) {
            out.add(new Malformed(e));
        }
    }

    /**
     * An authentic record whose plaintext is not a valid message.
     *
     * @param cause what the codec found wrong
     */
    public record Malformed(MalformedMessageException cause) {}
}
