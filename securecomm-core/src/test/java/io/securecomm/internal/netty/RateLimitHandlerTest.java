package io.securecomm.internal.netty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.MockTicker;
import io.netty.util.concurrent.Ticker;
import io.securecomm.internal.relay.RequestIds;
import io.securecomm.relay.RateLimit;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.ListRequest;
import io.securecomm.wire.Ping;
import io.securecomm.wire.Pong;
import io.securecomm.wire.SendPrivate;
import io.securecomm.wire.SendPublic;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The rate-limit handler on an {@link EmbeddedChannel} with a mock ticker: decisions, replies and events. */
class RateLimitHandlerTest {
    private final MockTicker ticker = Ticker.newMockTicker();
    private final KeepAliveHandlerTest.Above above = new KeepAliveHandlerTest.Above();
    private final EmbeddedChannel ch = EmbeddedChannel.builder().ticker(ticker)
            .handlers(new RateLimitHandler(new RateLimit(2, 3, 4, Duration.ofSeconds(10))), above).build();

    @Test
    void aBurstPassesThenRequestsAreAnsweredRateLimited() {
        ch.writeInbound(new SendPublic(1, "a"));
        ch.writeInbound(new SendPrivate(2, 7, "b"));
        ch.writeInbound(new ListRequest(3));
        assertEquals(3, above.messages.size());
        ch.writeInbound(new SendPublic(4, "c"));
        ErrorReply e = ch.readOutbound();
        assertEquals(4, e.requestId());
        assertEquals(ErrorCode.RATE_LIMITED, e.code());
        assertTrue(e.detail().contains("2 messages per second"), e.detail());
        ch.writeInbound(new SendPrivate(5, 7, "d"));
        assertEquals(5, ((ErrorReply) ch.readOutbound()).requestId());
        assertEquals(3, above.messages.size(), "rejected messages go no further");
        assertTrue(above.disconnects.isEmpty());
    }

    @Test
    void everyRequestTypeIsAnsweredWhenDropped() {
        java.util.List<io.securecomm.wire.Message> requests = java.util.List.of(
                new io.securecomm.wire.SendEnvelope(11, 2, new byte[] {1}),
                new io.securecomm.wire.SendRoomEnvelope(12, new int[] {2}, new byte[] {1}),
                new io.securecomm.wire.UploadPreKeys(13, new byte[] {1}),
                new io.securecomm.wire.PreKeyBundleRequest(14, 2));
        for (io.securecomm.wire.Message request : requests) {
            EmbeddedChannel fresh = EmbeddedChannel.builder().ticker(Ticker.newMockTicker())
                    .handlers(new RateLimitHandler(new RateLimit(2, 3, 4, Duration.ofSeconds(10))),
                            new KeepAliveHandlerTest.Above()).build();
            for (int i = 0; i < 3; i++) {
                fresh.writeInbound(new Ping(i)); // spend the burst
            }
            fresh.writeInbound(request);
            ErrorReply e = fresh.readOutbound();
            assertEquals(RequestIds.of(request), e.requestId(), "a dropped " + request.type()
                    + " is answered, so the client need not wait for its timeout");
            assertEquals(ErrorCode.RATE_LIMITED, e.code());
        }
    }

    @Test
    void pingsAndPongsCostATokenAndAreDroppedSilently() {
        for (int i = 0; i < 3; i++) {
            ch.writeInbound(new Ping(i));
        }
        ch.writeInbound(new Pong(9));
        ch.writeInbound(new Ping(10));
        assertEquals(3, above.messages.size());
        assertNull(ch.readOutbound(), "nothing to tie an error to");
    }

    @Test
    void theHelloAndTheGoodbyeAreNeverLimited() {
        for (int i = 0; i < 3; i++) {
            ch.writeInbound(new Ping(i));
        }
        ch.writeInbound(new ClientHello("alice", "t"));
        ch.writeInbound(new Bye(ByeReason.CLIENT_EXIT, ""));
        assertEquals(5, above.messages.size());
    }

    @Test
    void tokensComeBackWithTime() {
        for (int i = 1; i <= 4; i++) {
            ch.writeInbound(new SendPublic(i, "x"));
        }
        assertEquals(3, above.messages.size());
        ticker.advance(500, TimeUnit.MILLISECONDS);
        ch.writeInbound(new SendPublic(5, "y"));
        assertEquals(4, above.messages.size(), "2 per second: one token in half a second");
    }

    @Test
    void persistentAbuseFiresOneDisconnect() {
        for (int i = 1; i <= 3 + 4 + 10; i++) {
            ch.writeInbound(new SendPublic(i, "flood"));
        }
        assertEquals(3, above.messages.size());
        assertEquals(1, above.disconnects.size(), "one event, however long the flood goes on");
        assertEquals(ByeReason.RATE_LIMITED, above.disconnects.get(0).reason());
        int errors = 0;
        for (Object o; (o = ch.readOutbound()) != null; ) {
            errors += o instanceof ErrorReply ? 1 : 0;
        }
        assertEquals(4, errors, "a RATE_LIMITED reply per tolerated rejection, none after");
    }
}
