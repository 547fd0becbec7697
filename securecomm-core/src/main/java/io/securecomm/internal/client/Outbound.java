package io.securecomm.internal.client;

import io.securecomm.internal.limits.TokenBucket;
import io.securecomm.wire.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The client's pace towards the relay, and who goes first: every message the relay's rate limit counts (all but the
 * hello and the goodbye, which the session sends directly) waits here for a token of a bucket that stays under the
 * relay's limit, in one of two lanes. {@link Lane#CHAT} (the application's messages and requests, keep-alive replies,
 * pre-key uploads) goes before {@link Lane#KEYS} (end-to-end key set-up for the room: bundle requests and sender-key
 * envelopes), and the key lane never takes the last {@link #chatReserve()} tokens of the bucket (half the burst): a
 * join storm of N members, which makes this client send 2N key set-up requests, takes only the tokens the chat leaves
 * unused, so chat under the pace (in bursts of up to the reserve) finds a token and leaves at once, instead of waiting
 * for the next token behind a key lane that took every one (issue 22 point 9: up to 100 ms per message at 10 a second,
 * for as long as the storm's keys took). Keys are not starved either: while the chat draws on its reserve with keys
 * waiting, every {@value #KEYS_SHARE}th message that leaves is a key's, since the room cannot read chat whose key never
 * leaves. Within a lane, the order is kept.
 *
 * <p>The pace is the options' ({@code ChatClientOptions.Builder.pacing}) until the relay's {@code Welcome} announces
 * its limit, and then the lower rate of the two, with a burst of at most half the relay's: a relay that reads a
 * backlog late, at once, then still has room for it.
 *
 * <p>Sans-I/O: time is the session's clock, passed in; a message leaves through the consumer {@link #release} is
 * given, and its {@code onSent} runs then (a request's timeout starts there, not while it waits here). Not
 * thread-safe: confined to the session's thread.
 */
final class Outbound {
    /** Which messages go first. */
    enum Lane {
        /** The application's chat and requests, keep-alive replies, pre-key uploads: first. */
        CHAT,
        /** End-to-end key set-up for the room (bundle requests and sender keys): in the gaps the chat leaves. */
        KEYS
    }

    /** While the chat draws on its reserve with keys waiting, one message in this many is the key lane's. */
    static final int KEYS_SHARE = 4;

    private record Queued(Message message, Runnable onSent) {}

    private final ArrayDeque<Queued> chat = new ArrayDeque<>();
    private final ArrayDeque<Queued> keys = new ArrayDeque<>();
    private final int ownRate;
    private final int ownBurst;
    private int rate;
    private int burst;
    private TokenBucket bucket;
    /** The tokens the key lane leaves in the bucket for the chat: half the burst. */
    private int chatReserve;
    /** Chat messages sent in a row from the chat's reserve while keys waited. */
    private int chatInARow;

    /**
     * Creates the pacer of a client that has not been welcomed yet.
     *
     * @param requestsPerSecond the options' rate
     * @param burst the options' burst
     * @param now the session's clock's time
     */
    Outbound(int requestsPerSecond, int burst, Instant now) {
        this.ownRate = requestsPerSecond;
        this.ownBurst = burst;
        pace(requestsPerSecond, burst, now);
    }

    /**
     * The relay announced its limit: the pace becomes the lower rate of the two, with at most half the relay's burst.
     *
     * @param relayRate the relay's requests per second
     * @param relayBurst the relay's burst
     * @param now the session's clock's time
     */
    void relayLimit(int relayRate, int relayBurst, Instant now) {
        pace(Math.min(ownRate, relayRate), Math.min(ownBurst, Math.max(1, relayBurst / 2)), now);
    }

    private void pace(int requestsPerSecond, int requestBurst, Instant now) {
        this.rate = requestsPerSecond;
        this.burst = requestBurst;
        this.chatReserve = requestBurst / 2;
        this.bucket = new TokenBucket(requestBurst, requestsPerSecond, nanos(now));
    }

    /** The pace now, in requests per second. */
    int rate() {
        return rate;
    }

    /** The burst now. */
    int burst() {
        return burst;
    }

    /** The tokens the key lane leaves for the chat now: half the burst (none at a burst of one). */
    int chatReserve() {
        return chatReserve;
    }

    /**
     * Queues a message in its lane.
     *
     * @param message the message
     * @param lane its lane
     * @param onSent runs when it leaves
     */
    void add(Message message, Lane lane, Runnable onSent) {
        (lane == Lane.CHAT ? chat : keys).addLast(new Queued(message, onSent));
    }

    /**
     * Sends what the pace allows now: chat first, then keys while more than the chat's reserve is left.
     *
     * @param now the session's clock's time
     * @param send takes each message that leaves, in order
     */
    void release(Instant now, Consumer<Message> send) {
        long t = nanos(now);
        while (!chat.isEmpty() || !keys.isEmpty()) {
            int available = bucket.available(t);
            boolean keysMay = !keys.isEmpty() && (available > chatReserve || chatInARow >= KEYS_SHARE - 1);
            boolean keysTurn = keysMay && (chat.isEmpty() || chatInARow >= KEYS_SHARE - 1);
            if ((!keysTurn && chat.isEmpty()) || !bucket.tryAcquire(t)) {
                return; // only keys wait, and the tokens left are the chat's; or the bucket is empty
            }
            Queued q = keysTurn ? keys.removeFirst() : chat.removeFirst();
            // Only a chat message after which the keys cannot go (it took a token of the reserve, or the one the
            // keys would have had) counts towards the keys' share: a chat burst the bucket has room for leaves
            // whole, and the keys then take what is left above the reserve.
            chatInARow = keysTurn || keys.isEmpty() ? 0
                    : available > chatReserve + 1 ? chatInARow : chatInARow + 1;
            send.accept(q.message());
            q.onSent().run();
        }
    }

    /**
     * When the next message may leave, if one waits.
     *
     * @param now the session's clock's time
     * @return that time, or empty if nothing waits
     */
    Optional<Instant> nextRelease(Instant now) {
        if (chat.isEmpty() && keys.isEmpty()) {
            return Optional.empty();
        }
        // Keys alone wait for a token beyond the chat's reserve (or, owed their share, for any token).
        int tokens = chat.isEmpty() && chatInARow < KEYS_SHARE - 1 ? chatReserve + 1 : 1;
        return Optional.of(now.plus(Duration.ofNanos(bucket.nanosUntilAvailable(tokens, nanos(now)))));
    }

    /**
     * How many messages wait in a lane.
     *
     * @param lane the lane
     * @return the count
     */
    int waiting(Lane lane) {
        return (lane == Lane.CHAT ? chat : keys).size();
    }

    /** The connection ended: nothing more leaves (the requests fail on their own, with the session's cause). */
    void clear() {
        chat.clear();
        keys.clear();
    }

    /** An instant as nanoseconds: the bucket needs a monotonic count, and one that steps back only adds nothing. */
    private static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }

    @Override
    public String toString() {
        return "Outbound[" + rate + "/s, burst " + burst + ", waiting " + chat.size() + " chat, " + keys.size()
                + " keys]";
    }
}
