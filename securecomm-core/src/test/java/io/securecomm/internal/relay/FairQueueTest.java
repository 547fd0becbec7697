package io.securecomm.internal.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FairQueueTest {
    private static final int QUANTUM = 1000;
    private static final int MAX_SIZE = 3000;

    /** A message: who sent it, its number in its sender's order, its size. */
    record Msg(int sender, int seq, int bytes) {}

    /**
     * Issue 18: a caller may skip the queue exactly when {@code passesAtOnce} says so; taken in instead, the message
     * would have been the next one handed out, with nothing refused and nothing left behind.
     */
    @Property(tries = 300)
    void aMessageThatPassesAtOnceIsTheNextHandedOut(@ForAll long seed) {
        Random random = new Random(seed);
        int total = 2 * MAX_SIZE + random.nextInt(4 * MAX_SIZE);
        FairQueue<Integer, String> q = new FairQueue<>(QUANTUM, MAX_SIZE, total);
        for (int step = 0, n = random.nextInt(40); step < n; step++) {
            if (random.nextInt(3) == 0) {
                q.poll();
            } else {
                q.offer(random.nextInt(4), "m" + step, random.nextInt(MAX_SIZE + 1));
            }
        }
        int bytes = random.nextInt(total + 2);
        boolean passes = q.passesAtOnce(bytes);
        if (!q.isEmpty() || bytes > total) {
            assertTrue(!passes, "something waits, or it is larger than the whole limit");
            return;
        }
        assertTrue(passes);
        assertEquals(List.of(), q.offer(random.nextInt(4), "new", bytes));
        assertEquals("new", q.poll());
        assertTrue(q.isEmpty());
    }

    @Test
    void aLightSendersMessageOvertakesAFloodersBacklog() {
        FairQueue<String, String> q = new FairQueue<>(QUANTUM, 1 << 20, 1 << 20);
        for (int i = 0; i < 100; i++) {
            assertEquals(List.of(), q.offer("flooder", "junk" + i, 8192));
        }
        assertEquals("junk0", q.poll());
        q.offer("alice", "hello", 200);
        assertEquals("hello", q.poll(), "the message of a sender with nothing queued goes next");
        assertEquals("junk1", q.poll());
    }

    @Test
    void backloggedSendersShareByBytesNotByMessages() {
        FairQueue<String, Integer> q = new FairQueue<>(QUANTUM, 1 << 20, 1 << 20);
        for (int i = 0; i < 100; i++) {
            q.offer("big", 8000, 8000);
        }
        for (int i = 0; i < 800; i++) {
            q.offer("small", 1000, 1000);
        }
        long big = 0;
        long small = 0;
        for (int i = 0; i < 400; i++) {
            int n = q.poll();
            if (n == 8000) {
                big += n;
            } else {
                small += n;
            }
        }
        assertTrue(Math.abs(big - small) <= QUANTUM + 2 * 8000, big + " against " + small);
    }

    @Test
    void aSenderOverItsLimitIsRefusedAndTheOthersAreNot() {
        FairQueue<String, String> q = new FairQueue<>(QUANTUM, 10_000, 100_000);
        for (int i = 0; i < 5; i++) {
            assertEquals(List.of(), q.offer("flooder", "f" + i, 2000));
        }
        assertEquals(List.of("f5"), q.offer("flooder", "f5", 2000));
        assertEquals(List.of(), q.offer("alice", "a0", 2000));
        assertEquals(10_000, q.bytes("flooder"));
        // A message larger than the limit goes into an empty queue, so that no size is refused for ever.
        assertEquals(List.of(), q.offer("bob", "huge", 20_000));
    }

    @Test
    void whenEverythingIsFullTheLongestQueueMakesRoom() {
        FairQueue<String, String> q = new FairQueue<>(QUANTUM, 6000, 10_000);
        q.offer("flooder", "f0", 3000);
        q.offer("flooder", "f1", 3000);
        q.offer("other", "o0", 3000);
        assertEquals(List.of("f1"), q.offer("alice", "a0", 2000), "the newest of the longest queue");
        assertEquals(8000, q.bytes());
        // A sender whose own queue would be the longest pushes out its own message.
        assertEquals(List.of("f2"), q.offer("flooder", "f2", 3000));
        assertEquals(8000, q.bytes());
        assertEquals("f0", q.poll());
    }

    @Test
    void clearHandsBackEverythingAndEmptiesTheQueue() {
        FairQueue<String, String> q = new FairQueue<>(QUANTUM, 10_000, 100_000);
        q.offer("a", "a0", 10);
        q.offer("b", "b0", 0);
        q.offer("a", "a1", 10);
        assertEquals(Set.of("a0", "a1", "b0"), new HashSet<>(q.clear()));
        assertTrue(q.isEmpty());
        assertNull(q.poll());
        assertEquals(0, q.bytes());
    }

    @Test
    void limitsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> new FairQueue<>(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new FairQueue<>(1, 10, 5));
        FairQueue<String, String> q = new FairQueue<>(1, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> q.offer("a", "x", -1));
    }

    /**
     * Random offers and polls from a few senders: nothing is lost or handed out twice (every message is handed out,
     * refused or still queued, once), each sender's messages come out in order, the limits hold, and what was pushed
     * out belonged to a sender with at least as much queued as the offering sender.
     */
    @Property(tries = 300)
    void nothingIsLostOrderIsKeptAndLimitsHold(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int senders,
            @ForAll @IntRange(min = 3000, max = 20_000) int senderLimit,
            @ForAll @IntRange(min = 1, max = 4) int totalFactor) {
        Random random = new Random(seed);
        long totalLimit = (long) senderLimit * totalFactor;
        FairQueue<Integer, Msg> q = new FairQueue<>(QUANTUM, senderLimit, totalLimit);
        int[] next = new int[senders];
        int[] lastOut = new int[senders];
        Arrays.fill(lastOut, -1);
        Set<Msg> outstanding = new HashSet<>();
        for (int step = 0; step < 400; step++) {
            if (random.nextInt(3) > 0) {
                int s = random.nextInt(senders);
                Msg m = new Msg(s, next[s]++, random.nextInt(MAX_SIZE + 1));
                long before = q.bytes(s);
                Map<Integer, Long> snapshot = new HashMap<>();
                for (int i = 0; i < senders; i++) {
                    snapshot.put(i, q.bytes(i));
                }
                outstanding.add(m);
                List<Msg> refused = q.offer(s, m, m.bytes());
                for (Msg r : refused) {
                    assertTrue(outstanding.remove(r), "refused twice or never offered: " + r);
                    assertTrue(r.sender() == s || snapshot.get(r.sender()) >= before,
                            "pushed out a message of a sender with less queued: " + r);
                }
                assertTrue(q.bytes() <= totalLimit, "over the total limit: " + q.bytes());
                assertTrue(q.bytes(s) <= Math.max(senderLimit, m.bytes()), "over the sender's limit");
            } else {
                Msg m = q.poll();
                if (m != null) {
                    assertTrue(outstanding.remove(m), "handed out twice or never offered: " + m);
                    assertTrue(m.seq() > lastOut[m.sender()], "out of order: " + m);
                    lastOut[m.sender()] = m.seq();
                }
            }
        }
        List<Msg> rest = new ArrayList<>();
        for (Msg m; (m = q.poll()) != null; ) {
            assertTrue(m.seq() > lastOut[m.sender()], "out of order: " + m);
            lastOut[m.sender()] = m.seq();
            rest.add(m);
        }
        assertEquals(outstanding, new HashSet<>(rest), "every message is handed out, refused or still queued");
        assertTrue(q.isEmpty());
        assertEquals(0, q.bytes());
    }

    /**
     * Senders that are all backlogged share by bytes: at any point while all still have messages, no two were
     * handed out more than a quantum and two of the largest messages apart. And no sender starves: a sender with
     * nothing queued gets its message out as soon as the turn in progress ends, however large the others'
     * backlogs.
     */
    @Property(tries = 200)
    void backloggedSendersGetEqualBytesAndANewSenderGoesNext(@ForAll long seed,
            @ForAll @IntRange(min = 2, max = 8) int senders) {
        Random random = new Random(seed);
        FairQueue<Integer, Msg> q = new FairQueue<>(QUANTUM, Integer.MAX_VALUE, Long.MAX_VALUE);
        int[] left = new int[senders];
        for (int s = 0; s < senders; s++) {
            int count = 50 + random.nextInt(50);
            for (int i = 0; i < count; i++) {
                Msg m = new Msg(s, i, 1 + random.nextInt(MAX_SIZE));
                q.offer(s, m, m.bytes());
            }
            left[s] = count;
        }
        long[] sent = new long[senders];
        int polls = 0;
        while (allLeft(left)) {
            Msg m = q.poll();
            sent[m.sender()] += m.bytes();
            left[m.sender()]--;
            long most = Arrays.stream(sent).max().getAsLong();
            long least = Arrays.stream(sent).min().getAsLong();
            assertTrue(most - least <= QUANTUM + 2L * MAX_SIZE, "unfair after " + polls + " polls: "
                    + Arrays.toString(sent));
            if (++polls % 17 == 0) {
                Msg light = new Msg(senders, polls, 1 + random.nextInt(MAX_SIZE));
                q.offer(senders, light, light.bytes());
                // The sender whose turn is in progress may finish its quantum; then the new sender goes.
                long turn = 0;
                for (Msg next; !(next = q.poll()).equals(light); ) {
                    assertEquals(m.sender(), next.sender(), "a sender with nothing queued goes next: " + next);
                    turn += next.bytes();
                    assertTrue(turn <= QUANTUM + MAX_SIZE, "the turn in progress ends within a quantum");
                    sent[next.sender()] += next.bytes();
                    left[next.sender()]--;
                }
            }
        }
    }

    private static boolean allLeft(int[] left) {
        for (int n : left) {
            if (n == 0) {
                return false;
            }
        }
        return true;
    }
}
