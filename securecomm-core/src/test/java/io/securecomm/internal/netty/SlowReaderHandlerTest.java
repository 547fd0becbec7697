package io.securecomm.internal.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.securecomm.wire.ByeReason;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SlowReaderHandlerTest {

    @Test
    void aQueuePastTheHighWaterMarkFiresOneTooSlowDisconnect() {
        KeepAliveHandlerTest.Above above = new KeepAliveHandlerTest.Above();
        EmbeddedChannel ch = new EmbeddedChannel(new SlowReaderHandler(1024, Duration.ofSeconds(15)), above);
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

    @Test
    void aQueueWhoseHeadStandsStillIsStalledForAsLongAsItStands() {
        SlowReaderHandler.Stall stall = new SlowReaderHandler.Stall();
        Object first = new Object();
        Object second = new Object();
        assertEquals(0, stall.observe(null, 0, 0), "nothing waits");
        assertEquals(0, stall.observe(first, 0, 10), "first look at a waiting message");
        assertEquals(5, stall.observe(first, 0, 15));
        assertEquals(0, stall.observe(first, 100, 20), "part of it was written: it moved");
        assertEquals(30, stall.observe(first, 100, 50));
        assertEquals(0, stall.observe(second, 0, 60), "the head changed: it moved");
        assertEquals(0, stall.observe(null, 0, 70), "drained");
        assertEquals(0, stall.observe(second, 0, 80), "the same message again, after the queue drained, starts over");
        assertEquals(20, stall.observe(second, 0, 100));
    }
}
