package io.securecomm.internal.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.securecomm.wire.ByeReason;
import org.junit.jupiter.api.Test;

class SlowReaderHandlerTest {

    @Test
    void aQueuePastTheHighWaterMarkFiresOneTooSlowDisconnect() {
        KeepAliveHandlerTest.Above above = new KeepAliveHandlerTest.Above();
        EmbeddedChannel ch = new EmbeddedChannel(new SlowReaderHandler(1024), above);
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(512, 1024));
        // Netty counts each queued buffer with about 100 bytes of overhead.
        ch.write(Unpooled.wrappedBuffer(new byte[100]));
        assertTrue(ch.isWritable());
        assertTrue(above.disconnects.isEmpty(), "below the mark: nothing");
        ch.write(Unpooled.wrappedBuffer(new byte[1000]));
        assertFalse(ch.isWritable());
        assertEquals(1, above.disconnects.size());
        assertEquals(ByeReason.TOO_SLOW, above.disconnects.get(0).reason());
        assertTrue(above.disconnects.get(0).detail().contains("1024 bytes"), above.disconnects.get(0).detail());
        ch.flush();
        ch.write(Unpooled.wrappedBuffer(new byte[2000]));
        assertEquals(1, above.disconnects.size(), "once per connection");
        ch.finishAndReleaseAll();
    }
}
