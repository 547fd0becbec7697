package io.securecomm.internal.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class DeliveryLanesTest {
    /** The weight of an attacker's room fan-out to 9 members of a loop: 8 KiB each. */
    private static final long FAN_OUT = DeliveryLanes.weight(9, 9 * 8192);
    /** The weight of an honest private message. */
    private static final long PRIVATE = DeliveryLanes.weight(1, 300);

    /** A delivery: who handed it over, its number in its sender's order, its weight. */
    record Delivery(int sender, int seq, long weight) {}

    /**
     * Issue 18: a caller may skip the lanes exactly when {@code handsOutAtOnce} says so; offered instead, the delivery
     * would have been the next light one handed out, with nothing left behind.
     */
    @Property(tries = 300)
    void aDeliveryHandedOutAtOnceIsTheNextLightOne(@ForAll long seed) {
        Random random = new Random(seed);
        DeliveryLanes<Integer, String> lanes = new DeliveryLanes<>(() -> 0L);
        for (int step = 0, n = random.nextInt(20); step < n; step++) {
            if (random.nextInt(3) == 0) {
                lanes.newPass();
                lanes.pollHeavy();
                lanes.pollLight();
            } else {
                lanes.offer(random.nextInt(4), "d" + step, random.nextBoolean() ? FAN_OUT : PRIVATE);
            }
        }
        long weight = random.nextBoolean() ? FAN_OUT : PRIVATE;
        boolean atOnce = lanes.handsOutAtOnce(weight);
        if (!lanes.isEmpty() || weight > DeliveryLanes.LIGHT_WEIGHT_BYTES) {
            assertTrue(!atOnce, "something waits, or it is heavy");
            return;
        }
        assertTrue(atOnce);
        lanes.offer(random.nextInt(4), "new", weight);
        assertEquals("new", lanes.pollLight());
        assertTrue(lanes.isEmpty());
    }

    /**
     * Issue 22's fan-out flood, as the loop of an honest recipient sees it: attackers' room fan-outs queued, then
     * an honest private message. The honest message's latency, counted as the weight the loop handles before it
     * (what it seals first), against the same loop without the flood: before the lanes, the loop ran deliveries in
     * arrival order, so it sealed the whole queued flood first (2,880 KiB here, against nothing); with the lanes, at
     * most the heavy delivery being run.
     */
    @Test
    void anHonestPrivateMessageIsNotSealedAfterAFloodOfRoomFanOuts() {
        long quiet = weightAhead(0);
        long attacked = weightAhead(32);
        assertEquals(0, quiet);
        assertTrue(attacked <= FAN_OUT, "at most the fan-out in progress goes first: " + attacked + " > " + FAN_OUT);
    }

    /** The weight handed out before the honest message, with {@code flood} fan-outs queued ahead of it. */
    private static long weightAhead(int flood) {
        DeliveryLanes<String, String> lanes = new DeliveryLanes<>();
        Map<String, Long> weights = new HashMap<>();
        for (int i = 0; i < flood; i++) {
            lanes.offer("attacker" + i % 16, "fan-out" + i, FAN_OUT);
            weights.put("fan-out" + i, FAN_OUT);
        }
        long ahead = 0;
        lanes.newPass();
        String first = lanes.pollHeavy(); // the loop is in the middle of the flood when the honest message comes
        if (first != null) {
            ahead += weights.get(first);
        }
        lanes.offer("honest", "hello", PRIVATE);
        for (String d; (d = next(lanes)) != null; ) {
            if (d.equals("hello")) {
                return ahead;
            }
            ahead += weights.get(d);
        }
        throw new AssertionError("the honest message was never handed out");
    }

    /** What a loop would run next: light first, then heavy within the pass, then a new pass. */
    private static <S, D> D next(DeliveryLanes<S, D> lanes) {
        D d = lanes.pollLight();
        if (d == null) {
            d = lanes.pollHeavy();
        }
        if (d == null && !lanes.isEmpty()) {
            lanes.newPass();
            d = lanes.pollHeavy();
        }
        return d;
    }

    @Test
    void aSendersLightDeliveryNeverOvertakesItsOwnHeavyOne() {
        DeliveryLanes<String, String> lanes = new DeliveryLanes<>();
        lanes.offer("alice", "big", FAN_OUT);
        lanes.offer("alice", "small", PRIVATE);
        lanes.offer("bob", "hi", PRIVATE);
        assertEquals("hi", lanes.pollLight());
        assertNull(lanes.pollLight(), "alice's small delivery waits behind her big one");
        lanes.newPass();
        assertEquals("big", lanes.pollHeavy());
        assertEquals("small", lanes.pollLight(), "then it is light, and goes");
        assertTrue(lanes.isEmpty());
    }

    @Test
    void heavyDeliveriesGoRoundRobinForHalfAMillisecondPerPass() {
        long[] now = {0};
        DeliveryLanes<String, String> lanes = new DeliveryLanes<>(() -> now[0]);
        for (int i = 0; i < 10; i++) {
            lanes.offer("flooder", "f" + i, 40_000);
        }
        lanes.offer("member", "m0", 40_000);
        lanes.newPass();
        assertEquals("f0", lanes.pollHeavy());
        now[0] += 300_000; // each takes 0.3 ms to write
        assertEquals("m0", lanes.pollHeavy(), "a second sender's heavy delivery is next, not the flooder's backlog");
        now[0] += 300_000;
        assertNull(lanes.pollHeavy(), "0.6 ms spent the pass's half millisecond");
        lanes.newPass();
        assertEquals("f1", lanes.pollHeavy());
        assertEquals(8, lanes.size());
    }

    /**
     * Issue 18: on a warm relay a room fan-out to 100 members takes about 0.2 ms to write, so one pass runs several
     * and each recipient's socket is written once for them all (a pass bounded by weight ran one: 100 recipients
     * weighed more than its budget).
     */
    @Test
    void aWarmLoopRunsSeveralFanOutsInAPass() {
        long[] now = {0};
        DeliveryLanes<String, String> lanes = new DeliveryLanes<>(() -> now[0]);
        long fanOut = DeliveryLanes.weight(99, 99 * 100);
        for (int i = 0; i < 10; i++) {
            lanes.offer("member" + i, "fan-out" + i, fanOut);
        }
        lanes.newPass();
        int handedOut = 0;
        while (lanes.pollHeavy() != null) {
            handedOut++;
            now[0] += 150_000;
        }
        assertEquals(4, handedOut, "at 0, 0.15, 0.3 and 0.45 ms; the pass ends at 0.6");
        assertEquals(6, lanes.size());
    }

    @Test
    void aPassHandsOutAtLeastOneHeavyDeliveryWhateverTheTime() {
        long[] now = {0};
        DeliveryLanes<String, String> lanes = new DeliveryLanes<>(() -> now[0]);
        lanes.offer("s", "huge", 1L << 30);
        lanes.offer("t", "next", 1L << 30);
        lanes.newPass();
        now[0] += 10 * DeliveryLanes.HEAVY_PASS_NANOS; // the loop was descheduled, say
        assertEquals("huge", lanes.pollHeavy());
        assertNull(lanes.pollHeavy());
    }

    @Test
    void argumentsAreChecked() {
        DeliveryLanes<String, String> lanes = new DeliveryLanes<>();
        assertThrows(IllegalArgumentException.class, () -> lanes.offer("s", "d", -1));
        assertThrows(NullPointerException.class, () -> lanes.offer(null, "d", 1));
        assertThrows(NullPointerException.class, () -> lanes.offer("s", null, 1));
    }

    /**
     * Random senders, weights and interleavings of offers and polls: everything offered is handed out exactly once,
     * each sender's in order; the light lane hands out only light deliveries and the heavy one only heavy ones; a pass
     * hands out heavy deliveries for at most its time plus one delivery.
     */
    @Property(tries = 200)
    void nothingIsLostOrderIsKeptLightGoesFirstAndPassesAreBounded(@ForAll @IntRange(min = 1, max = 6) int senders,
            @ForAll @IntRange(min = 1, max = 300) int count, @ForAll long seed) {
        Random random = new Random(seed);
        long[] now = {0};
        DeliveryLanes<Integer, Delivery> lanes = new DeliveryLanes<>(() -> now[0]);
        int[] nextSeq = new int[senders];
        int[] expectedSeq = new int[senders];
        List<Delivery> out = new ArrayList<>();
        int offered = 0;
        long passStart = 0;
        boolean passHandedOut = false;
        long maxWeight = 256 * 1024;
        lanes.newPass();
        while (offered < count || !lanes.isEmpty()) {
            int action = random.nextInt(4);
            if (offered < count && action < 2) {
                int s = random.nextInt(senders);
                long w = random.nextBoolean() ? random.nextInt(DeliveryLanes.LIGHT_WEIGHT_BYTES + 1)
                        : DeliveryLanes.LIGHT_WEIGHT_BYTES + 1 + (long) random.nextInt((int) maxWeight);
                lanes.offer(s, new Delivery(s, nextSeq[s]++, w), w);
                offered++;
            } else if (action == 2) {
                Delivery d = lanes.pollLight();
                if (d != null) {
                    assertTrue(d.weight() <= DeliveryLanes.LIGHT_WEIGHT_BYTES, "a light one: " + d);
                    out.add(d);
                }
            } else {
                Delivery d = lanes.pollHeavy();
                if (d == null) {
                    lanes.newPass();
                    passStart = now[0];
                    passHandedOut = false;
                } else {
                    assertTrue(d.weight() > DeliveryLanes.LIGHT_WEIGHT_BYTES, "a heavy one: " + d);
                    assertTrue(!passHandedOut || now[0] - passStart < DeliveryLanes.HEAVY_PASS_NANOS,
                            "within the pass's time, or its first");
                    passHandedOut = true;
                    out.add(d);
                }
                now[0] += random.nextInt((int) DeliveryLanes.HEAVY_PASS_NANOS / 2); // what the writes took
            }
            for (Delivery d : out) {
                assertEquals(expectedSeq[d.sender()]++, d.seq(), "each sender's order: " + d);
            }
            out.clear();
        }
        for (int s = 0; s < senders; s++) {
            assertEquals(nextSeq[s], expectedSeq[s], "every delivery of sender " + s + " handed out once");
        }
        assertEquals(0, lanes.size());
    }
}
