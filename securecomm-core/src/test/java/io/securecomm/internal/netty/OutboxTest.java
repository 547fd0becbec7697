package io.securecomm.internal.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import io.securecomm.wire.MessageCodec;
import io.securecomm.wire.RoomEnvelope;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One encoding per fanned-out message, shared by reference count, and freed by its last recipient. */
class OutboxTest {
    @Test
    void aFanOutSharesOneEncodingThatTheLastRecipientFrees() throws Exception {
        List<EmbeddedChannel> recipients = List.of(new EmbeddedChannel(), new EmbeddedChannel(),
                new EmbeddedChannel());
        RoomEnvelope message = new RoomEnvelope(7, new byte[] {1, 2, 3, 4});
        Outbox outbox = new Outbox(ByteBufAllocator.DEFAULT, null);
        for (EmbeddedChannel ch : recipients) {
            outbox.add(ch, outbox.encoded(message), ch.newPromise());
        }
        outbox.dispatch();
        List<ByteBuf> written = new ArrayList<>();
        for (EmbeddedChannel ch : recipients) {
            written.add(ch.readOutbound());
        }
        ByteBuf first = written.get(0);
        assertNotSame(first, written.get(1), "each recipient has its own indexes");
        assertEquals(3, first.refCnt(), "one reference per recipient, the outbox's own released at dispatch");
        for (ByteBuf b : written) {
            assertEquals(message, MessageCodec.decode(ByteBufUtil.getBytes(b)));
            assertTrue(b.unwrap() == written.get(0).unwrap(), "the same encoding underneath");
        }
        assertEquals(false, written.get(0).release());
        assertEquals(false, written.get(1).release());
        assertEquals(true, written.get(2).release(), "freed with the last recipient's release");
        assertEquals(0, first.refCnt());
    }

    @Test
    void aNewMessageGetsANewEncodingAndTheOldOneIsReleased() throws Exception {
        EmbeddedChannel ch = new EmbeddedChannel();
        Outbox outbox = new Outbox(ByteBufAllocator.DEFAULT, null);
        ByteBuf a = outbox.encoded(new RoomEnvelope(1, new byte[] {1}));
        ByteBuf b = outbox.encoded(new RoomEnvelope(2, new byte[] {2}));
        assertEquals(1, a.refCnt(), "the outbox let go of the first encoding when the message changed");
        outbox.add(ch, a, ch.newPromise());
        outbox.add(ch, b, ch.newPromise());
        outbox.dispatch();
        assertEquals(1, b.refCnt(), "after dispatch only the recipient holds it");
        ByteBuf first = ch.readOutbound();
        ByteBuf second = ch.readOutbound();
        assertEquals(new RoomEnvelope(1, new byte[] {1}), MessageCodec.decode(ByteBufUtil.getBytes(first)),
                "in the order added");
        assertTrue(first.release());
        assertTrue(second.release());
    }
}
