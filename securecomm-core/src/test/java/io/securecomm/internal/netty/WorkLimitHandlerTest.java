package io.securecomm.internal.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import io.securecomm.internal.limits.RequestThrottle;
import io.securecomm.internal.relay.PublicRoom;
import io.securecomm.internal.relay.CostModel;
import io.securecomm.internal.relay.PreKeyDirectory;
import io.securecomm.relay.RateLimit;
import io.securecomm.relay.WorkLimit;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.FrameEncoder;
import io.securecomm.wire.ListRequest;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageCodec;
import io.securecomm.wire.Ping;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendRoomEnvelope;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The work-limit handler on an {@link EmbeddedChannel} with a mock ticker: what it holds, when it hands it on, when
 * it stops and resumes reading, and what it refuses. Messages are fired one by one into the pipeline, as a socket
 * read delivers them; {@link EmbeddedChannel#runPendingTasks()} is the event loop's next turn.
 */
class WorkLimitHandlerTest {
    private final MockTicker ticker = Ticker.newMockTicker();
    private final KeepAliveHandlerTest.Above above = new KeepAliveHandlerTest.Above();
    private final CostModel costs = new CostModel(new PublicRoom<>(256), new PreKeyDirectory());

    /**
     * An embedded channel whose {@code read()} does what a socket channel's does here: nothing at once. The
     * {@link EmbeddedChannel}'s own runs its pending tasks, so the read Netty asks for at the end of each read
     * (auto-read being on) would run a yielded turn at once, where an event loop runs it after the other
     * connections' reads.
     */
    private static final class LoopLikeChannel extends EmbeddedChannel {
        LoopLikeChannel(EmbeddedChannel.Builder builder) {
            super(builder);
        }

        @Override
        public Channel read() {
            return this; // no socket: nothing to ask for
        }
    }

    private EmbeddedChannel channel(RateLimit rate, WorkLimit work) {
        return new LoopLikeChannel(EmbeddedChannel.builder().ticker(ticker).handlers(new WorkLimitHandler(rate, work,
                costs, RequestThrottle.addressBucket(work, ticker.nanoTime())), above));
    }

    /** One socket read delivering these messages: each handed up, then the read's end. */
    private static void read(EmbeddedChannel ch, Message... messages) {
        for (Message m : messages) {
            ch.pipeline().fireChannelRead(m);
        }
        ch.pipeline().fireChannelReadComplete();
    }

    /** One socket read of this buffer, its end included, without running the loop's tasks. */
    private static void socketRead(EmbeddedChannel ch, ByteBuf buffer) {
        ch.pipeline().fireChannelRead(buffer);
        ch.pipeline().fireChannelReadComplete();
    }

    private void advance(EmbeddedChannel ch, Duration d) {
        ticker.advance(d.toNanos(), TimeUnit.NANOSECONDS);
        ch.runScheduledPendingTasks(); // the wake-ups that are due
        ch.runPendingTasks(); // and the turns they yielded to

    }

    /**
     * Room envelopes to 40 members, request ids 1 to n: each costs about 1.4 ms of the model, so two fit in a turn of
     * 2 ms and the third starts the next turn.
     */
    private static Message[] fanOuts(int n) {
        int[] everyone = new int[40];
        for (int i = 0; i < everyone.length; i++) {
            everyone[i] = i + 2;
        }
        Message[] fanOuts = new Message[n];
        for (int i = 0; i < n; i++) {
            fanOuts[i] = new SendRoomEnvelope(i + 1, everyone, new byte[100]);
        }
        return fanOuts;
    }

    private static Message envelope(long requestId) {
        return new SendEnvelope(requestId, 2, new byte[200]);
    }

    @Test
    void aGoodbyeHeldBehindTheConnectionsTurnStillReachesTheRelayWhenTheConnectionCloses() {
        // Under load, a client's goodbye could wait behind its held requests; the connection then closed and the
        // relay reported the client as disconnected, not as having left.
        EmbeddedChannel ch = channel(RateLimit.defaults(), WorkLimit.defaults());
        Message[] backlog = new Message[42];
        for (int i = 0; i < 41; i++) {
            backlog[i] = envelope(i + 1);
        }
        backlog[41] = new Bye(ByeReason.CLIENT_EXIT, "");
        read(ch, backlog);
        assertEquals(40, above.messages.size(), "the goodbye waits behind what is held");
        ch.pipeline().fireChannelInactive();
        assertEquals(new Bye(ByeReason.CLIENT_EXIT, ""), above.messages.get(40), "the goodbye, then the end");
        assertEquals(41, above.messages.size(), "the held requests are dropped with the connection");
    }

    @Test
    void aBacklogReadInOneGoIsServedAtTheRateAndNeverRefused() {
        // Issue 22: an overloaded relay reads a default client's paced requests late, all at once. The rate-limit
        // handler answered 60 of these 100 RATE_LIMITED; now they wait, and reading stops meanwhile.
        EmbeddedChannel ch = channel(RateLimit.defaults(), WorkLimit.defaults());
        Message[] backlog = new Message[100];
        for (int i = 0; i < backlog.length; i++) {
            backlog[i] = envelope(i + 1);
        }
        read(ch, backlog);
        assertEquals(40, above.messages.size(), "the burst goes on at once");
        assertFalse(ch.config().isAutoRead(), "the relay stops reading from a client it holds messages for");
        assertNull(ch.readOutbound(), "nothing is refused");
        advance(ch, Duration.ofSeconds(1));
        assertEquals(60, above.messages.size(), "then 20 per second");
        advance(ch, Duration.ofSeconds(2));
        assertEquals(List.of(backlog), above.messages, "all of them, in order");
        assertTrue(ch.config().isAutoRead(), "reading resumes once nothing is held");
        assertNull(ch.readOutbound());
        assertTrue(above.disconnects.isEmpty());
    }

    @Test
    void aConnectionThatSpentItsTurnWaitsForTheOthers() {
        EmbeddedChannel ch = channel(RateLimit.defaults(), WorkLimit.defaults());
        Message[] fanOuts = fanOuts(5);
        long each = costs.of(fanOuts[0]).workMicros();
        assertTrue(each < WorkLimitHandler.TURN_QUANTUM_MICROS && 2 * each >= WorkLimitHandler.TURN_QUANTUM_MICROS,
                "the test's premise: " + each + " us each");
        read(ch, fanOuts);
        assertEquals(2, above.messages.size(), "one turn's quantum");
        assertTrue(ch.config().isAutoRead(), "a yielded turn alone does not switch reading off (issue 18)");
        ch.runPendingTasks();
        assertEquals(List.of(fanOuts), above.messages, "the next turns, in order");
        assertTrue(ch.config().isAutoRead());
    }

    @Test
    void aBufferReadBeforeTheYieldedTurnComesBackSwitchesReadingOffUntilAllIsHandedOn() {
        EmbeddedChannel ch = channel(RateLimit.defaults(), WorkLimit.defaults());
        Message[] fanOuts = fanOuts(6);
        read(ch, fanOuts[0], fanOuts[1], fanOuts[2]);
        assertEquals(2, above.messages.size());
        assertTrue(ch.config().isAutoRead(), "the turn was yielded; the socket is still read");
        read(ch, fanOuts[3], fanOuts[4], fanOuts[5]);
        assertFalse(ch.config().isAutoRead(), "a second read before the turn came back: no more reads");
        assertEquals(2, above.messages.size(), "what it brought waits behind what was held");
        ch.runPendingTasks();
        assertEquals(List.of(fanOuts), above.messages, "the next turns, in order");
        assertTrue(ch.config().isAutoRead(), "reading resumes once nothing is held");
    }

    @Test
    void framesOfTheBufferBeingReadWhenTheTurnIsYieldedDoNotSwitchReadingOff() {
        // With the frame decoder in the pipeline, "a further buffer" is one the decoder took from the socket after
        // the yield, not the next frame of the same buffer.
        FrameDecoderHandler frames = new FrameDecoderHandler(FrameEncoder.MAX_PAYLOAD_BYTES);
        EmbeddedChannel ch = new LoopLikeChannel(EmbeddedChannel.builder().ticker(ticker).handlers(frames,
                MessageCodecHandler.INSTANCE, new WorkLimitHandler(RateLimit.defaults(), WorkLimit.defaults(), costs,
                        RequestThrottle.addressBucket(WorkLimit.defaults(), ticker.nanoTime())), above));
        Message[] sent = fanOuts(6);
        ByteBuf first = Unpooled.buffer();
        for (int i = 0; i < 5; i++) {
            first.writeBytes(FrameEncoder.encode(MessageCodec.encode(sent[i])));
        }
        socketRead(ch, first);
        assertEquals(2, above.messages.size(), "one turn's quantum");
        assertTrue(ch.config().isAutoRead(), "the rest of the buffer came with it: still reading");
        socketRead(ch, Unpooled.wrappedBuffer(FrameEncoder.encode(MessageCodec.encode(sent[5]))));
        assertEquals(2, frames.buffersRead(), "two buffers");
        assertFalse(ch.config().isAutoRead(), "a further buffer before the turn came back: no more reads");
        ch.runPendingTasks();
        assertEquals(List.of(sent), above.messages, "all of them, in order");
        assertTrue(ch.config().isAutoRead());
    }

    @Test
    void expensiveWorkIsHeldByItsCostAndResumesWhenTheBudgetRefills() {
        WorkLimit tight = new WorkLimit(1_000, 1_000, WorkLimit.MAX_VALUE, WorkLimit.MAX_VALUE, 6, 5);
        EmbeddedChannel ch = channel(RateLimit.defaults(), tight);
        int[] many = new int[12];
        for (int i = 0; i < many.length; i++) {
            many[i] = i + 2;
        }
        Message fanOut = new SendRoomEnvelope(1, many, new byte[1000]);
        long cost = costs.of(fanOut).workMicros();
        assertTrue(cost > 500 && cost < 1_000, "the test's premise: " + cost + " us");
        Message ping = new Ping(7);
        read(ch, fanOut, fanOut, ping);
        assertEquals(1, above.messages.size(), "the second waits for the budget, and the ping behind it");
        // After the first, 1000 - cost units are left; the second needs cost: 2 cost - 1000 more, at 1000 a second.
        advance(ch, Duration.ofMillis(2 * cost - 1_000).minusNanos(1));
        assertEquals(1, above.messages.size());
        advance(ch, Duration.ofNanos(1));
        assertEquals(List.of(fanOut, fanOut), above.messages, "the ping waits for its own few microseconds");
        advance(ch, Duration.ofMillis(costs.of(ping).workMicros()));
        assertEquals(List.of(fanOut, fanOut, ping), above.messages);
    }

    @Test
    void theHelloAndTheGoodbyeKeepTheirPlaceAndCostNothing() {
        EmbeddedChannel ch = channel(new RateLimit(1, 1, 1, Duration.ofSeconds(1)), WorkLimit.defaults());
        ClientHello hello = new ClientHello("alice", "test/1");
        Bye bye = new Bye(ByeReason.CLIENT_EXIT, "");
        read(ch, hello, new ListRequest(1), new ListRequest(2), bye);
        assertEquals(List.of(hello, new ListRequest(1)), above.messages, "the goodbye waits behind the request");
        advance(ch, Duration.ofSeconds(1));
        assertEquals(List.of(hello, new ListRequest(1), new ListRequest(2), bye), above.messages);
    }

    @Test
    void beyondWhatMayBeHeldEachRequestIsRefusedThenTheClientIsDisconnected() {
        EmbeddedChannel ch = channel(new RateLimit(1, 1, 3, Duration.ofSeconds(10)), WorkLimit.defaults());
        List<Message> flood = new ArrayList<>();
        for (int i = 1; i <= 1 + WorkLimitHandler.MAX_HELD_MESSAGES + 5; i++) {
            flood.add(new ListRequest(i));
        }
        read(ch, flood.toArray(Message[]::new));
        assertEquals(1, above.messages.size());
        for (int i = 0; i < 3; i++) {
            ErrorReply e = assertInstanceOf(ErrorReply.class, ch.readOutbound());
            assertEquals(ErrorCode.RATE_LIMITED, e.code());
            assertEquals(2 + WorkLimitHandler.MAX_HELD_MESSAGES + i, e.requestId());
        }
        assertNull(ch.readOutbound());
        assertEquals(1, above.disconnects.size(), "out of strikes: one Disconnect");
        assertEquals(ByeReason.RATE_LIMITED, above.disconnects.get(0).reason());
    }
}
