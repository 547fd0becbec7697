package io.securecomm.internal.relay;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per recipient, how many session-starting envelopes the relay forwards: a pre-key message (docs/E2E.md, "Message
 * type bytes": the public header {@code 0x01 0x05}) makes its recipient run PQXDH, about 2 ms of its CPU (X25519 and
 * an ML-KEM-1024 decapsulation; 4.5 ms with an identity it has to check), whether or not the message then
 * authenticates. (The header {@code 0x01 0x02}, an older client's X3DH pre-key message, is counted alike, although a
 * current client refuses it at once.) The relay cannot tell a friend from a
 * stranger (it sees no trust), so it treats every sender alike:
 * <ul>
 *   <li><b>each sender's own allowance</b>: the first {@value #RESERVED_PER_SENDER} session-starting envelopes from
 *       one sender to one recipient within {@link #WINDOW} are always forwarded. An honest client starts a session
 *       once (it sends pre-key messages only until the first reply), so this is never its limit, whatever others
 *       send;</li>
 *   <li><b>a shared allowance per recipient</b> for the rest: a token bucket of {@value #SHARED_BURST}, refilling at
 *       {@value #SHARED_PER_SECOND} per second, for all senders together. Beyond both, the envelope is refused
 *       ({@code RATE_LIMITED}, naming the limit) and never reaches the recipient.</li>
 * </ul>
 * So however many connections send one client forged first messages, it runs at most
 * {@value #SHARED_PER_SECOND} PQXDH per second for them beyond {@value #RESERVED_PER_SENDER} per sender and window,
 * and no sender's first session start is refused because of the others. (A client writing to someone who never
 * answers sends a pre-key message with every message; beyond its own allowance it draws on the shared one.)
 *
 * <p>Thread-safe: senders call it from their own event loops; each recipient's state has its own lock.
 */
public final class SessionStarts {
    /** How many session-starting envelopes one sender always gets forwarded to one recipient within the window. */
    public static final int RESERVED_PER_SENDER = 4;

    /** The window of {@link #RESERVED_PER_SENDER}. */
    public static final Duration WINDOW = Duration.ofMinutes(10);

    /** The shared allowance of one recipient, beyond the senders' own: its burst. */
    public static final int SHARED_BURST = 32;

    /** The shared allowance of one recipient, beyond the senders' own: its sustained rate per second. */
    public static final int SHARED_PER_SECOND = 4;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final Clock clock;
    private final ConcurrentHashMap<Integer, Recipient> recipients = new ConcurrentHashMap<>();

    /**
     * Creates the limiter, with no recipient yet.
     *
     * @param clock the time of the window and the bucket
     */
    public SessionStarts(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Tells whether an envelope's ciphertext starts a session: whether its public header is that of a pre-key
     * message (version {@code 0x01}, type {@code 0x05}, or {@code 0x02} from a client older than PQXDH).
     *
     * @param ciphertext the envelope's ciphertext, as the sender sent it
     * @return {@code true} for a pre-key message
     */
    public static boolean startsSession(byte[] ciphertext) {
        return ciphertext.length >= 2 && ciphertext[0] == 0x01 && (ciphertext[1] == 0x05 || ciphertext[1] == 0x02);
    }

    /**
     * Counts one session-starting envelope, if it may be forwarded.
     *
     * @param senderId the sending client
     * @param recipientId the recipient
     * @return {@code true} to forward it; {@code false} if both the sender's own allowance and the recipient's shared
     *     one are used up (nothing was counted)
     */
    public boolean admit(int senderId, int recipientId) {
        Instant now = clock.instant();
        Recipient r = recipients.computeIfAbsent(recipientId, id -> new Recipient(now));
        synchronized (r) {
            return r.admit(senderId, now);
        }
    }

    /**
     * Forgets a client that left: as a recipient, and (lazily, as windows pass) as a sender.
     *
     * @param clientId the client
     */
    public void remove(int clientId) {
        recipients.remove(clientId);
    }

    /**
     * The detail of a refusal, for the sender.
     *
     * @param recipientId the recipient
     * @return one sentence naming the limit
     */
    static String refusal(int recipientId) {
        return "client " + recipientId + " is receiving too many session-starting (pre-key) messages: each sender gets "
                + RESERVED_PER_SENDER + " per " + WINDOW.toMinutes() + " minutes, then all senders share "
                + SHARED_PER_SECOND + " per second (bursts of " + SHARED_BURST + "); this one was not forwarded";
    }

    /** One recipient's allowances; guarded by its own lock. */
    private static final class Recipient {
        private final Map<Integer, ArrayDeque<Instant>> perSender = new HashMap<>();
        private long sharedScaled = SHARED_BURST * NANOS_PER_SECOND;
        private Instant last;

        Recipient(Instant now) {
            last = now;
        }

        boolean admit(int senderId, Instant now) {
            Instant horizon = now.minus(WINDOW);
            perSender.values().removeIf(times -> {
                while (!times.isEmpty() && !times.peekFirst().isAfter(horizon)) {
                    times.removeFirst();
                }
                return times.isEmpty();
            });
            ArrayDeque<Instant> mine = perSender.computeIfAbsent(senderId, id -> new ArrayDeque<>());
            if (mine.size() < RESERVED_PER_SENDER) {
                mine.addLast(now);
                return true;
            }
            refill(now);
            if (sharedScaled >= NANOS_PER_SECOND) {
                sharedScaled -= NANOS_PER_SECOND;
                return true;
            }
            return false;
        }

        private void refill(Instant now) {
            long elapsed = Duration.between(last, now).toNanos();
            if (elapsed <= 0) {
                return;
            }
            last = now;
            long cap = SHARED_BURST * NANOS_PER_SECOND;
            sharedScaled = elapsed >= (cap - sharedScaled) / SHARED_PER_SECOND + 1
                    ? cap
                    : sharedScaled + elapsed * SHARED_PER_SECOND;
        }
    }
}
