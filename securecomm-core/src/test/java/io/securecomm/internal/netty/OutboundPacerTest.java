package io.securecomm.internal.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.ListRequest;
import io.securecomm.wire.Message;
import io.securecomm.wire.Pong;
import io.securecomm.wire.SendEnvelope;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The client's pacer on an {@link EmbeddedChannel} with a mock ticker: never sleeps. */
class OutboundPacerTest {
    private final MockTicker ticker = Ticker.newMockTicker();
    /** 4 requests per second (one every 250 ms), bursts of 2. */
    private final EmbeddedChannel ch = EmbeddedChannel.builder().ticker(ticker)
            .handlers(new OutboundPacer(4, 2)).build();

    private List<Message> written() {
        ch.runScheduledPendingTasks();
        List<Message> out = new ArrayList<>();
        Message m;
        while ((m = ch.readOutbound()) != null) {
            out.add(m);
        }
        return out;
    }

    @Test
    void aBurstGoesAtOnceAndTheRestFollowsInOrderAtThePace() {
        List<ChannelFuture> writes = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            writes.add(ch.writeAndFlush(new ListRequest(i)));
        }
        assertEquals(List.of(new ListRequest(1), new ListRequest(2)), written(), "the burst");
        assertFalse(writes.get(2).isDone(), "the third waits for a token");
        ticker.advance(250, TimeUnit.MILLISECONDS);
        assertEquals(List.of(new ListRequest(3)), written());
        ticker.advance(249, TimeUnit.MILLISECONDS);
        assertEquals(List.of(), written(), "no token before its time");
        ticker.advance(1, TimeUnit.MILLISECONDS);
        assertEquals(List.of(new ListRequest(4)), written());
        ticker.advance(10, TimeUnit.SECONDS);
        assertEquals(List.of(new ListRequest(5)), written());
        assertTrue(writes.stream().allMatch(ChannelFuture::isSuccess));
    }

    @Test
    void theHelloAndTheGoodbyeAreNeverHeldWhileEverythingElseCounts() {
        ch.writeAndFlush(new Pong(1));
        ch.writeAndFlush(new SendEnvelope(1, 2, new byte[] {1}));
        ch.writeAndFlush(new ListRequest(2)); // no token left: held
        ch.writeAndFlush(new ClientHello("alice", "test/1"));
        ch.writeAndFlush(new Bye(ByeReason.CLIENT_EXIT, ""));
        List<Message> out = written();
        assertEquals(4, out.size(), out.toString());
        assertInstanceOf(Pong.class, out.get(0));
        assertInstanceOf(SendEnvelope.class, out.get(1));
        assertInstanceOf(ClientHello.class, out.get(2));
        assertInstanceOf(Bye.class, out.get(3));
    }

    @Test
    void closingFailsWhatStillWaitsSoNoSenderWaitsForEver() {
        ch.writeAndFlush(new ListRequest(1));
        ch.writeAndFlush(new ListRequest(2));
        ChannelFuture held = ch.writeAndFlush(new ListRequest(3));
        written();
        ch.close();
        assertTrue(held.isDone());
        assertInstanceOf(ClosedChannelException.class, held.cause());
        ticker.advance(10, TimeUnit.SECONDS);
        assertNull(ch.readOutbound(), "nothing is written after the close");
    }
}
