package io.securecomm.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.wire.Message;
import io.securecomm.wire.Ping;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The session's pace and lanes: chat first, keys in the gaps (and never starved), the relay's limit respected. */
class OutboundTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static Message m(long n) {
        return new Ping(n);
    }

    private static List<Long> release(Outbound o, Instant at) {
        List<Long> out = new ArrayList<>();
        o.release(at, msg -> out.add(((Ping) msg).nonce()));
        return out;
    }

    @Test
    void aBurstLeavesAtOnceAndTheRestAtThePaceInOrder() {
        Outbound o = new Outbound(10, 3, T0);
        for (long i = 1; i <= 5; i++) {
            o.add(m(i), Outbound.Lane.CHAT, () -> { });
        }
        assertEquals(List.of(1L, 2L, 3L), release(o, T0));
        assertEquals(T0.plusMillis(100), o.nextRelease(T0).orElseThrow(), "one token per 100 ms at 10/s");
        assertEquals(List.of(), release(o, T0.plusMillis(99)));
        assertEquals(List.of(4L), release(o, T0.plusMillis(100)));
        assertEquals(List.of(5L), release(o, T0.plusMillis(200)));
        assertTrue(o.nextRelease(T0.plusMillis(200)).isEmpty());
    }

    @Test
    void chatGoesBeforeKeysAndKeysGetEveryFourthTurnWhileBothWait() {
        Outbound o = new Outbound(1000, 1, T0);
        release(o, T0); // the bucket is empty: one message per millisecond from now on
        for (long i = 1; i <= 20; i++) {
            o.add(m(100 + i), Outbound.Lane.KEYS, () -> { });
        }
        for (long i = 1; i <= 8; i++) {
            o.add(m(i), Outbound.Lane.CHAT, () -> { });
        }
        List<Long> order = new ArrayList<>();
        for (int ms = 1; ms <= 12; ms++) {
            order.addAll(release(o, T0.plusMillis(ms)));
        }
        assertEquals(List.of(1L, 2L, 3L, 101L, 4L, 5L, 6L, 102L, 7L, 8L, 103L, 104L), order,
                "a join storm's key set-up queued first does not hold up chat, and is not starved by it");
    }

    @Test
    void aChatMessageWaitsForOneTokenAtMostWhateverTheKeyBacklog() {
        Outbound o = new Outbound(10, 20, T0);
        for (long i = 1; i <= 128; i++) {
            o.add(m(100 + i), Outbound.Lane.KEYS, () -> { });
        }
        release(o, T0); // the burst of 20 keys goes
        o.add(m(1), Outbound.Lane.CHAT, () -> { });
        assertEquals(List.of(1L), release(o, T0.plusMillis(100)), "the next token is the chat message's");
    }

    @Test
    void theRelaysLimitLowersThePaceWithHalfItsBurst() {
        Outbound o = new Outbound(10, 20, T0);
        o.relayLimit(4, 4, T0);
        assertEquals(4, o.rate());
        assertEquals(2, o.burst());
        o.relayLimit(1000, 1000, T0);
        assertEquals(10, o.rate(), "a relay with a higher limit leaves the options' pace");
        assertEquals(20, o.burst());
        o.relayLimit(1, 1, T0);
        assertEquals(1, o.burst(), "never below one");
    }

    @Test
    void sentRunsWhenTheMessageLeavesNotWhenItIsQueued() {
        Outbound o = new Outbound(1, 1, T0);
        List<Instant> sent = new ArrayList<>();
        release(o, T0);
        o.add(m(1), Outbound.Lane.CHAT, () -> sent.add(T0));
        assertEquals(List.of(), sent);
        release(o, T0.plus(Duration.ofSeconds(1)));
        assertEquals(1, sent.size());
    }
}
