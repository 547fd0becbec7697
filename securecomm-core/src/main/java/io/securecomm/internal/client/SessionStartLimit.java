package io.securecomm.internal.client;

import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * How many new end-to-end sessions each sender may start with this client: a pre-key message that starts one costs
 * the client a PQXDH (about 2 ms, 4 ms with an identity to check), so a sender flooding it with forged first
 * messages could keep the client's thread busy for as long as it likes (issue 22: 46 s behind). Each sender has
 * {@value #BURST} starts, and one more per {@link #REFILL_PERIOD}; a start beyond is dropped unread, before any PQXDH.
 *
 * <p>What counts: every start that fails (forged, tampered), and each new base key that authenticates. An honest
 * peer starts one session per identity and repeats its base key in every message until the first reply, so it
 * counts once, even when its messages are refused for a pending identity change and decrypt again each time; the
 * relay has its own limit, per recipient (docs/SECURITY.md 4.2).
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
    /** The base keys remembered per sender as authenticated, so that repeating one costs nothing more. */
    static final int MAX_BASE_KEYS_PER_SENDER = 8;

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
        final Set<String> authenticated = new LinkedHashSet<>();
    }

    private final Map<String, Allowance> senders = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Allowance> eldest) {
            return size() > MAX_SENDERS;
        }
    };

    /**
     * Decides whether a session start from a sender may be tried; counts a refusal.
     *
     * @param sender the sender's canonical nickname
     * @param now the session's clock's time
     * @return whether to try it
     */
    Verdict check(String sender, Instant now) {
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
            return Verdict.START;
        }
        a.refused++;
        return isPowerOfTen(a.refused) ? Verdict.REFUSE_AND_REPORT : Verdict.REFUSE;
    }

    /**
     * Counts a session start that was tried.
     *
     * @param sender the sender's canonical nickname
     * @param baseKey its base key
     * @param authenticated whether it authenticated (a new session, or a refused identity change)
     */
    void tried(String sender, byte[] baseKey, boolean authenticated) {
        Allowance a = senders.computeIfAbsent(sender, s -> new Allowance());
        if (authenticated && baseKey.length > 0) {
            String k = HexFormat.of().formatHex(baseKey);
            if (!a.authenticated.add(k)) {
                return; // the same session start again: already paid for
            }
            if (a.authenticated.size() > MAX_BASE_KEYS_PER_SENDER) {
                a.authenticated.remove(a.authenticated.iterator().next());
            }
        }
        a.starts++;
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
