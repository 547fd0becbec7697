package io.securecomm.internal.netty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.securecomm.wire.FrameTooLargeException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The frame decoder on a channel: buffers decoded and released as read, and reads asked for as they were before. */
class FrameDecoderHandlerTest {
    /** Counts the reads the handlers after it ask for. */
    private static final class Reads extends ChannelOutboundHandlerAdapter {
        int asked;

        @Override
        public void read(ChannelHandlerContext ctx) {
            asked++;
            ctx.read();
        }
    }

    @Test
    void aReadThatCompletesNoFrameAsksForTheNextWhileTheChannelDoesNotReadByItself() {
        Reads reads = new Reads();
        EmbeddedChannel channel = new EmbeddedChannel(reads, new FrameDecoderHandler(100));
        channel.config().setAutoRead(false);
        int before = reads.asked;
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 3, 'a'}));
        assertEquals(before + 1, reads.asked, "a partial frame asks for the rest");
        assertNull(channel.readInbound());
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'b', 'c'}));
        assertEquals(before + 1, reads.asked, "a read that handed a frame on leaves reading to whoever paused it");
        assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), (byte[]) channel.readInbound());
    }

    @Test
    void everyBufferIsReleasedOnceDecodedAndSeveralFramesInOneGoOnInOrder() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoderHandler(100));
        ByteBuf read = Unpooled.wrappedBuffer(new byte[] {0, 1, 'x', 0, 2, 'y', 'z', 0});
        channel.writeInbound(read);
        assertEquals(0, read.refCnt());
        assertArrayEquals(new byte[] {'x'}, (byte[]) channel.readInbound());
        assertArrayEquals(new byte[] {'y', 'z'}, (byte[]) channel.readInbound());
        assertNull(channel.readInbound(), "the third frame's length is half here");
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {1, '!'}));
        assertArrayEquals(new byte[] {'!'}, (byte[]) channel.readInbound());
    }

    @Test
    void aFramingErrorIsItsOwnExceptionAndTheBufferIsReleased() {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameDecoderHandler(4));
        ByteBuf read = Unpooled.wrappedBuffer(new byte[] {0, 5, 1, 2, 3, 4, 5});
        assertThrows(FrameTooLargeException.class, () -> channel.writeInbound(read));
        assertEquals(0, read.refCnt());
    }
}
