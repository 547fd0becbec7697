package io.securecomm.e2e;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Room messages held because their sender's key has not arrived yet, bounded in count (in all, and per sender) and
 * in time.
 * Every message leaves as exactly one of: {@link #release released} (to decrypt), or an
 * {@link RoomEvent.Undecryptable} event (timed out, overflow, member left). Time comes from an
 * injectable {@link Clock}. Not thread-safe.
 */
public final class PendingRoomMessages {
    /**
     * Default maximum number of held messages: enough for a room where dozens of members join at once and write
     * before their keys have reached everyone (each key waits its turn behind the chat), about 8 MiB at most.
     */
    public static final int DEFAULT_MAX_MESSAGES = 1024;
    /** Default maximum number of held messages of one sender: a quarter of the holder, so one cannot evict the rest. */
    public static final int DEFAULT_MAX_MESSAGES_PER_SENDER = DEFAULT_MAX_MESSAGES / 4;
    /** Default maximum holding time. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofSeconds(30);

    /**
     * A held message.
     *
     * @param sender the member it claims to come from
     * @param message the room message bytes (copied in and out)
     * @param receivedAt when it was held
     */
    public record HeldMessage(String sender, byte[] message, Instant receivedAt) {
        /**
         * Creates the record.
         *
         * @param sender the sender
         * @param message the message
         * @param receivedAt when it arrived
         */
        public HeldMessage {
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(receivedAt, "receivedAt");
            message = message.clone();
        }

        /**
         * Returns a copy of the message.
         *
         * @return the bytes
         */
        @Override
        public byte[] message() {
            return message.clone();
        }

        /**
         * Equal when all fields are equal.
         *
         * @param o the other object
         * @return whether equal
         */
        @Override
        public boolean equals(Object o) {
            return o instanceof HeldMessage h && h.sender.equals(sender) && h.receivedAt.equals(receivedAt)
                    && Arrays.equals(h.message, message);
        }

        /**
         * Hashes all fields.
         *
         * @return the hash code
         */
        @Override
        public int hashCode() {
            return Objects.hash(sender, receivedAt, Arrays.hashCode(message));
        }

        /**
         * Describes the message without its bytes.
         *
         * @return a description
         */
        @Override
        public String toString() {
            return "HeldMessage[sender=" + sender + ", " + message.length + " bytes, at " + receivedAt + "]";
        }
    }

    private final int maxMessages;
    private final int maxPerSender;
    private final Duration maxAge;
    private final Clock clock;
    private final Deque<HeldMessage> held = new ArrayDeque<>();

    /**
     * Creates the holder, with no bound per sender but the holder's.
     *
     * @param maxMessages the most messages held at once (at least 1)
     * @param maxAge the longest a message is held (positive)
     * @param clock the clock
     * @throws IllegalArgumentException if a bound is not positive
     */
    public PendingRoomMessages(int maxMessages, Duration maxAge, Clock clock) {
        this(maxMessages, maxMessages, maxAge, clock);
    }

    /**
     * Creates the holder.
     *
     * @param maxMessages the most messages held at once (at least 1)
     * @param maxPerSender the most messages of one sender held at once (1 to {@code maxMessages}): beyond, that
     *     sender's oldest is given up, not another sender's
     * @param maxAge the longest a message is held (positive)
     * @param clock the clock
     * @throws IllegalArgumentException if a bound is not positive, or the per-sender bound is above the holder's
     */
    public PendingRoomMessages(int maxMessages, int maxPerSender, Duration maxAge, Clock clock) {
        if (maxMessages < 1) {
            throw new IllegalArgumentException("maxMessages must be at least 1, got " + maxMessages);
        }
        if (maxPerSender < 1 || maxPerSender > maxMessages) {
            throw new IllegalArgumentException("maxPerSender must be 1 to maxMessages, got " + maxPerSender);
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("maxAge must be positive, got " + maxAge);
        }
        this.maxMessages = maxMessages;
        this.maxPerSender = maxPerSender;
        this.maxAge = maxAge;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Creates the holder with {@value #DEFAULT_MAX_MESSAGES} messages, {@value #DEFAULT_MAX_MESSAGES_PER_SENDER} per
     * sender, and {@link #DEFAULT_MAX_AGE}.
     *
     * @param clock the clock
     * @return the holder
     */
    public static PendingRoomMessages defaults(Clock clock) {
        return new PendingRoomMessages(DEFAULT_MAX_MESSAGES, DEFAULT_MAX_MESSAGES_PER_SENDER, DEFAULT_MAX_AGE, clock);
    }

    /**
     * Holds a message. When the holder is full, the oldest message is given up and reported.
     *
     * @param sender the member it claims to come from
     * @param message the room message
     * @return the events for messages given up to make room (usually none)
     */
    public List<RoomEvent> hold(String sender, byte[] message) {
        List<RoomEvent> out = new ArrayList<>(expire());
        // One sender's own oldest gives way at its bound, not other senders' messages.
        if (held.stream().filter(h -> h.sender().equals(sender)).count() >= maxPerSender) {
            for (Iterator<HeldMessage> it = held.iterator(); it.hasNext();) {
                HeldMessage h = it.next();
                if (h.sender().equals(sender)) {
                    it.remove();
                    out.add(new RoomEvent.Undecryptable(h.sender(), RoomEvent.Reason.OVERFLOW, "more than "
                            + maxPerSender + " room messages of '" + sender + "' waited for its key; gave up the"
                            + " oldest"));
                    break;
                }
            }
        }
        held.addLast(new HeldMessage(sender, message, clock.instant()));
        while (held.size() > maxMessages) {
            HeldMessage h = held.removeFirst();
            out.add(new RoomEvent.Undecryptable(h.sender(), RoomEvent.Reason.OVERFLOW,
                    "more than " + maxMessages + " room messages waited for sender keys; gave up the oldest"));
        }
        return out;
    }

    /**
     * Removes and returns the messages held for a sender, oldest first.
     *
     * @param sender the member
     * @return the messages
     */
    public List<HeldMessage> release(String sender) {
        return release(sender, h -> true);
    }

    /**
     * Removes and returns the messages held for a sender that {@code which} selects, oldest first. The others stay
     * where they are, with the time they were received: a message still waiting for its key keeps its deadline,
     * whatever else arrives meanwhile.
     *
     * @param sender the member
     * @param which selects the messages to release (for example those of a chain whose key arrived)
     * @return the messages released
     */
    public List<HeldMessage> release(String sender, Predicate<HeldMessage> which) {
        Objects.requireNonNull(which, "which");
        List<HeldMessage> out = new ArrayList<>();
        for (Iterator<HeldMessage> it = held.iterator(); it.hasNext();) {
            HeldMessage h = it.next();
            if (h.sender().equals(sender) && which.test(h)) {
                out.add(h);
                it.remove();
            }
        }
        return out;
    }

    /**
     * Gives up and reports every message held, whoever sent it: the holder's own session is ending.
     *
     * @param reason why
     * @return one {@link RoomEvent.Undecryptable} per message, oldest first
     */
    public List<RoomEvent> discardAll(RoomEvent.Reason reason) {
        Objects.requireNonNull(reason, "reason");
        List<RoomEvent> out = new ArrayList<>();
        for (HeldMessage h : held) {
            out.add(new RoomEvent.Undecryptable(h.sender(), reason, "gave up a message from '" + h.sender()
                    + "' still waiting for its key"));
        }
        held.clear();
        return out;
    }

    /**
     * Gives up and reports the messages held longer than the maximum age.
     *
     * @return one {@link RoomEvent.Undecryptable} per message given up
     */
    public List<RoomEvent> expire() {
        Instant deadline = clock.instant().minus(maxAge);
        List<RoomEvent> out = new ArrayList<>();
        for (Iterator<HeldMessage> it = held.iterator(); it.hasNext();) {
            HeldMessage h = it.next();
            if (h.receivedAt().isBefore(deadline)) {
                it.remove();
                out.add(new RoomEvent.Undecryptable(h.sender(), RoomEvent.Reason.TIMED_OUT,
                        "the sender key of '" + h.sender() + "' did not arrive within " + maxAge.toSeconds() + " s"));
            }
        }
        return out;
    }

    /**
     * When {@link #expire()} next has a message to give up: the first instant past the maximum age of the message
     * held longest. A caller that keeps time in a session's {@code pollTimeout()} asks here instead of polling.
     *
     * @return that instant, or empty if nothing is held
     */
    public Optional<Instant> nextExpiry() {
        Instant oldest = null;
        for (HeldMessage h : held) {
            if (oldest == null || h.receivedAt().isBefore(oldest)) {
                oldest = h.receivedAt();
            }
        }
        // expire() gives up what is strictly older than maxAge, so the deadline is one tick after it.
        return oldest == null ? Optional.empty() : Optional.of(oldest.plus(maxAge).plusNanos(1));
    }

    /**
     * Gives up and reports every message held for a sender.
     *
     * @param sender the member
     * @param reason why
     * @return one {@link RoomEvent.Undecryptable} per message
     */
    public List<RoomEvent> discard(String sender, RoomEvent.Reason reason) {
        List<RoomEvent> out = new ArrayList<>();
        for (HeldMessage h : release(sender)) {
            out.add(new RoomEvent.Undecryptable(h.sender(), reason, "gave up a message from '" + sender + "'"));
        }
        return out;
    }

    /**
     * Returns how many messages are held.
     *
     * @return the count
     */
    public int size() {
        return held.size();
    }
}
