package io.securecomm.internal.client;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many new end-to-end sessions each sender may start with this client: a pre-key message that starts one costs
 * the client an X3DH (about 1.7 ms, 4 ms with an identity to check), so a sender flooding it with forged first
 * messages could keep the client's thread busy for as long as it likes (issue 22: 46 s behind). Each sender has
 * {@value #BURST} starts, and one more per {@link #REFILL_PERIOD}; a start beyond is dropped unread, before any X3DH.
 * An honest peer starts a session with this client once per identity (its later messages reuse it), so it never
 * meets the limit; the relay has its own, per recipient (docs/SECURITY.md 4.2).
 *
 * <p>Refusals are reported, but not each one: the 1st, 10th, 100th, ... of a sender, with the count, so a flood is
 * a few lines, not one per message.
 *
 * <p>Senders are keyed by canonical nickname; at most {@value #MAX_SENDERS} are remembered (the least recently seen
 * is forgotten first). Not thread-safe: confined to the session's thread.
 */
final class SessionStartLimit {
    /** New sessions a sender may start at once. */
    static final int BURST = 4;
    /** The time after which a sender may start one more. */
    static final Duration REFILL_PERIOD = Duration.ofSeconds(30);
    /** The most senders remembered. */
    static final int MAX_SENDERS = 1024;

    /** What to do with a session start. */
    enum Verdict {
        /** Within the sender's allowance: decrypt it. */
        START,
        /** Beyond it: drop it, and tell the user (with the count so far). */
        REFUSE_AND_REPORT,
        /** Beyond it: drop it quietly (the count is reported later). */
        REFUSE
    }

    private static final class Allowance {
        long starts;
        Instant since;
        long refused;
    }

    private final Map<String, Allowance> senders = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Allowance> eldest) {
            return size() > MAX_SENDERS;
        }
    };

    /**
     * Decides on one new session from a sender, and counts it.
     *
     * @param sender the sender's canonical nickname
     * @param now the session's clock's time
     * @return whether to start it
     */
    Verdict tryStart(String sender, Instant now) {
        Allowance a = senders.computeIfAbsent(sender, s -> new Allowance());
        if (a.since == null) {
            a.since = now;
        }
        // Refill: one start per period since the window began, never above the burst.
        long periods = Math.max(0, Duration.between(a.since, now).dividedBy(REFILL_PERIOD));
        if (periods > 0) {
            a.starts = Math.max(0, a.starts - periods);
            a.since = a.since.plus(REFILL_PERIOD.multipliedBy(periods));
        }
        if (a.starts < BURST) {
            a.starts++;
            return Verdict.START;
        }
        a.refused++;
        return isPowerOfTen(a.refused) ? Verdict.REFUSE_AND_REPORT : Verdict.REFUSE;
    }

    /**
     * How many of a sender's session starts were refused so far.
     *
     * @param sender the canonical nickname
     * @return the count
     */
    long refused(String sender) {
        Allowance a = senders.get(sender);
        return a == null ? 0 : a.refused;
    }

    private static boolean isPowerOfTen(long n) {
        long p = 1;
        while (p < n) {
            p *= 10;
        }
        return p == n;
    }
}
