package io.securecomm.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.wire.Message;
import io.securecomm.wire.Ping;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
    void aChatMessageLeavesAtOnceWhateverTheKeyBacklog() {
        Outbound o = new Outbound(10, 20, T0);
        assertEquals(10, o.chatReserve(), "half the burst");
        for (long i = 1; i <= 128; i++) {
            o.add(m(100 + i), Outbound.Lane.KEYS, () -> { });
        }
        assertEquals(10, release(o, T0).size(), "the keys take all of the burst but the chat's reserve");
        assertEquals(T0.plusMillis(100), o.nextRelease(T0).orElseThrow(), "the next key when a token is spare");
        o.add(m(1), Outbound.Lane.CHAT, () -> { });
        assertEquals(List.of(1L), release(o, T0), "the chat message does not wait for the next token");
        assertEquals(T0.plusMillis(200), o.nextRelease(T0).orElseThrow(), "and the keys wait for the reserve again");
    }

    /**
     * Issue 22 point 9's steady state: chat at half the pace, 128 keys waiting. Each chat message used to wait for
     * the next token (up to 100 ms at 10 a second) for as long as the keys took: the keys took every token.
     */
    @Test
    void chatAtHalfThePaceNeverWaitsAndTheKeysTakeTheRest() {
        Outbound o = new Outbound(10, 20, T0);
        for (long i = 1; i <= 128; i++) {
            o.add(m(100_000 + i), Outbound.Lane.KEYS, () -> { });
        }
        int keys = 0;
        for (int ms = 0; ms <= 10_000; ms += 10) {
            Instant now = T0.plusMillis(ms);
            // Between two tokens (one per 100 ms), as a real client's chat comes: the keys took the last one.
            if (ms % 200 == 50) {
                o.add(m(ms), Outbound.Lane.CHAT, () -> { });
            }
            List<Long> out = release(o, now);
            if (ms % 200 == 50) {
                assertEquals(Optional.of((long) ms), out.stream().findFirst(),
                        "the chat message of " + ms + " ms leaves at once, first");
            }
            keys += (int) out.stream().filter(n -> n > 100_000).count();
            assertEquals(0, o.waiting(Outbound.Lane.CHAT), "no chat waits at " + ms + " ms");
        }
        assertTrue(keys >= 5 * 10, "the keys take the burst beyond the reserve and the 5 tokens a second the chat"
                + " leaves: " + keys + " in 10 s");
    }

    @Test
    void chatAboveThePaceDrawsItsReserveAndThenLeavesTheKeysEveryFourthTurn() {
        Outbound o = new Outbound(10, 20, T0);
        for (long i = 1; i <= 20; i++) {
            o.add(m(1000 + i), Outbound.Lane.KEYS, () -> { });
        }
        release(o, T0); // 10 keys; the reserve is left
        for (long i = 1; i <= 100; i++) {
            o.add(m(i), Outbound.Lane.CHAT, () -> { });
        }
        List<Long> atOnce = release(o, T0);
        assertEquals(List.of(1L, 2L, 3L, 1001L + 10, 4L, 5L, 6L, 1002L + 10, 7L, 8L), atOnce,
                "the reserve goes to the chat, with the keys' share once the keys cannot go otherwise");
        List<Long> later = new ArrayList<>();
        for (int ms = 100; ms <= 2000; ms += 100) {
            later.addAll(release(o, T0.plusMillis(ms)));
        }
        assertEquals(20, later.size(), "at the pace");
        assertEquals(5, later.stream().filter(n -> n > 1000).count(), "one in four is a key's: " + later);
    }

    @Test
    void theRelaysLimitLowersThePaceWithHalfItsBurst() {
        Outbound o = new Outbound(10, 20, T0);
        o.relayLimit(4, 4, T0);
        assertEquals(4, o.rate());
        assertEquals(2, o.burst());
        assertEquals(1, o.chatReserve());
        o.relayLimit(1000, 1000, T0);
        assertEquals(10, o.rate(), "a relay with a higher limit leaves the options' pace");
        assertEquals(20, o.burst());
        o.relayLimit(1, 1, T0);
        assertEquals(1, o.burst(), "never below one");
        assertEquals(0, o.chatReserve(), "no reserve in a burst of one: the keys' share alone keeps them going");
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
