package io.securecomm.internal.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import io.securecomm.internal.relay.Disconnect;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.Ping;
import io.securecomm.wire.Pong;
import io.securecomm.wire.SendPublic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** The keep-alive state machine, on an {@link EmbeddedChannel} whose clock is a mock ticker: no test sleeps. */
class KeepAliveHandlerTest {
    private static final Duration PING = Duration.ofSeconds(30);
    private static final Duration IDLE = Duration.ofSeconds(60);

    /** What reaches the handler above: messages and Disconnect events. */
    static final class Above extends ChannelInboundHandlerAdapter {
        final List<Object> messages = new ArrayList<>();
        final List<Disconnect> disconnects = new ArrayList<>();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            messages.add(msg);
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof Disconnect d) {
                disconnects.add(d);
            }
        }
    }

    private final MockTicker ticker = Ticker.newMockTicker();
    private final Above above = new Above();
    private final EmbeddedChannel ch = EmbeddedChannel.builder().ticker(ticker)
            .handlers(new KeepAliveHandler(PING, IDLE), above).build();

    private void advanceSeconds(long seconds) {
        ticker.advance(seconds, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
    }

    private void established() {
        ch.pipeline().fireUserEventTriggered(new NoiseHandler.Established(new byte[32], new byte[32]));
    }

    @Test
    void nothingHappensBeforeTheHandshake() {
        advanceSeconds(3600);
        assertNull(ch.readOutbound());
        assertTrue(above.disconnects.isEmpty(), "the handshake timeout applies then, not the idle timeout");
    }

    @Test
    void pingsAfterTheIntervalThenDisconnectsAtTheIdleTimeout() {
        established();
        advanceSeconds(29);
        assertNull(ch.readOutbound());
        advanceSeconds(1);
        assertEquals(new Ping(1), ch.readOutbound());
        advanceSeconds(29);
        assertTrue(above.disconnects.isEmpty());
        advanceSeconds(1);
        assertEquals(1, above.disconnects.size());
        assertEquals(ByeReason.IDLE_TIMEOUT, above.disconnects.get(0).reason());
        advanceSeconds(600);
        assertEquals(1, above.disconnects.size(), "once");
        assertNull(ch.readOutbound(), "one ping per silence");
    }

    @Test
    void aPongIsActivityAndIsConsumed() {
        established();
        advanceSeconds(30);
        assertInstanceOf(Ping.class, ch.readOutbound());
        ch.writeInbound(new Pong(1));
        assertTrue(above.messages.isEmpty(), "the relay logic never sees a Pong");
        advanceSeconds(59);
        assertTrue(above.disconnects.isEmpty(), "the pong restarted the clock");
        assertInstanceOf(Ping.class, ch.readOutbound(), "and a new silence gets a new ping");
    }

    @Test
    void everyMessageIsActivityAndPassesThrough() {
        established();
        for (int i = 0; i < 10; i++) {
            advanceSeconds(50);
            ch.writeInbound(new SendPublic(i + 1, "still here"));
        }
        assertEquals(10, above.messages.size());
        assertTrue(above.disconnects.isEmpty());
    }

    /**
     * Under any schedule of silences and messages, the session is ended exactly when some silence reached the
     * idle timeout, at most once; a ping goes out only after a silence of the ping interval, once per silence.
     */
    @Property(tries = 300)
    void disconnectsExactlyOnSilenceReachingTheIdleTimeout(
            @ForAll @Size(max = 40) List<@IntRange(min = 0, max = 90) Integer> silences) {
        MockTicker t = Ticker.newMockTicker();
        Above up = new Above();
        EmbeddedChannel c = EmbeddedChannel.builder().ticker(t).handlers(new KeepAliveHandler(PING, IDLE), up).build();
        c.pipeline().fireUserEventTriggered(new NoiseHandler.Established(new byte[32], new byte[32]));
        boolean expectDisconnect = false;
        int expectedPings = 0;
        for (int silence : silences) {
            t.advance(silence, TimeUnit.SECONDS);
            c.runScheduledPendingTasks();
            if (!expectDisconnect) {
                if (silence >= IDLE.toSeconds()) {
                    expectDisconnect = true;
                    // the check that finds the silence may first be the ping check: it disconnects instead
                } else if (silence >= PING.toSeconds()) {
                    expectedPings++;
                }
            }
            assertEquals(expectDisconnect ? 1 : 0, up.disconnects.size(), "after silences " + silences);
            c.writeInbound(new SendPublic(1, "x"));
        }
        int pings = 0;
        for (Object o; (o = c.readOutbound()) != null; ) {
            pings += o instanceof Ping ? 1 : 0;
        }
        if (!expectDisconnect) {
            assertEquals(expectedPings, pings);
        }
        c.finishAndReleaseAll();
    }
}
