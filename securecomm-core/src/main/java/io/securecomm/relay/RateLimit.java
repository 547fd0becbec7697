package io.securecomm.relay;

import java.time.Duration;
import java.util.Objects;

/**
 * How fast one client may send, and when the relay stops tolerating a client that sends faster.
 *
 * <p>Each client has a token bucket of {@code burstMessages} tokens that refills at {@code messagesPerSecond}.
 * Every message a client sends after its hello (a chat message, a list request, a ping or pong) takes one token. A
 * request that finds the bucket empty waits: the relay stops reading from the connection until a token is there
 * (and the request's cost fits the {@link WorkLimit}), so a client that sends too fast only slows itself, and one
 * whose requests the relay read late, in one go, is never refused for it. Only the messages the relay had already
 * read beyond what it holds for a connection (1024) are dropped, each answered with an {@code ErrorReply} carrying
 * {@code RATE_LIMITED}. A client that keeps doing so is abusive: once more than {@code disconnectAfterRejections}
 * requests were dropped within about {@code rejectionWindow} (a second bucket, of "strikes", refilling at
 * {@code disconnectAfterRejections / rejectionWindow}), the relay says {@code Bye} with reason {@code RATE_LIMITED}
 * and closes the connection.
 *
 * <p>Over any interval of {@code t} seconds a client is therefore served at most
 * {@code burstMessages + messagesPerSecond * t} requests, whatever it sends.
 *
 * @param messagesPerSecond the sustained rate each client may send at, at least 1
 * @param burstMessages how many requests a client may send at once after a quiet spell, at least 1
 * @param disconnectAfterRejections how many dropped requests within {@code rejectionWindow} are tolerated
 *     before the relay disconnects the client, at least 1
 * @param rejectionWindow the period over which dropped requests are counted; positive
 */
public record RateLimit(
        int messagesPerSecond, int burstMessages, int disconnectAfterRejections, Duration rejectionWindow) {
    /** The default sustained rate: 20 requests per second, far above what a person types. */
    public static final int DEFAULT_MESSAGES_PER_SECOND = 20;
    /** The default burst: 40 requests, enough for a pasted block of lines or a reconnecting client's catch-up. */
    public static final int DEFAULT_BURST_MESSAGES = 40;
    /** The default tolerance: 100 dropped requests within {@link #DEFAULT_REJECTION_WINDOW}. */
    public static final int DEFAULT_DISCONNECT_AFTER_REJECTIONS = 100;
    /** The default window over which dropped requests are counted: 10 seconds. */
    public static final Duration DEFAULT_REJECTION_WINDOW = Duration.ofSeconds(10);
    /** The largest accepted rate and burst: bounds the limiter's integer arithmetic far from overflow. */
    public static final int MAX_MESSAGES = 1_000_000;

    /**
     * Checks the components.
     *
     * @param messagesPerSecond the sustained rate each client may send at, at least 1
     * @param burstMessages how many requests a client may send at once after a quiet spell, at least 1
     * @param disconnectAfterRejections how many dropped requests within {@code rejectionWindow} are tolerated
     * @param rejectionWindow the period over which dropped requests are counted; positive
     * @throws IllegalArgumentException if a count is below 1 or above {@value #MAX_MESSAGES}, or the window is not
     *     positive or longer than a day
     */
    public RateLimit {
        checkCount(messagesPerSecond, "messagesPerSecond");
        checkCount(burstMessages, "burstMessages");
        checkCount(disconnectAfterRejections, "disconnectAfterRejections");
        Objects.requireNonNull(rejectionWindow, "rejectionWindow");
        if (rejectionWindow.isNegative() || rejectionWindow.isZero()
                || rejectionWindow.compareTo(Duration.ofDays(1)) > 0) {
            throw new IllegalArgumentException("rejectionWindow must be positive and at most a day, got "
                    + rejectionWindow);
        }
    }

    /**
     * The defaults: {@value #DEFAULT_MESSAGES_PER_SECOND} requests per second, bursts of
     * {@value #DEFAULT_BURST_MESSAGES}, disconnection after {@value #DEFAULT_DISCONNECT_AFTER_REJECTIONS} dropped
     * requests within 10 seconds.
     *
     * @return the default rate limit
     */
    public static RateLimit defaults() {
        return new RateLimit(DEFAULT_MESSAGES_PER_SECOND, DEFAULT_BURST_MESSAGES, DEFAULT_DISCONNECT_AFTER_REJECTIONS,
                DEFAULT_REJECTION_WINDOW);
    }

    private static void checkCount(int value, String name) {
        if (value < 1 || value > MAX_MESSAGES) {
            throw new IllegalArgumentException(name + " must be 1.." + MAX_MESSAGES + ", got " + value);
        }
    }
}
