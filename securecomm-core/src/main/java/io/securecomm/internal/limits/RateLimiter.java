package io.securecomm.internal.limits;

import io.securecomm.relay.RateLimit;
import java.util.Objects;

/**
 * One client's rate limit and abuse policy: the state machine that decides, for each request, whether the relay
 * serves it, drops it with a {@code RATE_LIMITED} error, or ends the connection.
 *
 * <pre>
 *                 token available                       no token, strike available
 *            +--------------------+                 +-------------------------+
 *            |                    v                 |                         v
 *        +---------+  ADMIT   +---------+       +---------+  REJECT      (stays ACTIVE)
 *  new -&gt; | ACTIVE  | -------&gt; | ACTIVE  |       | ACTIVE  |
 *        +---------+          +---------+       +---------+
 *             |  no token and no strike left
 *             v
 *     +--------------+   every later request: DISCONNECT
 *     | DISCONNECTED | &lt;---------------------------------+
 *     +--------------+
 * </pre>
 *
 * <p>Two {@link TokenBucket}s drive it: the request bucket ({@link RateLimit#burstMessages()} tokens, refilling at
 * {@link RateLimit#messagesPerSecond()}), and the strike bucket ({@link RateLimit#disconnectAfterRejections()}
 * strikes, refilling so that a full set comes back every {@link RateLimit#rejectionWindow()}). A request that finds
 * no token costs a strike; a request that finds neither is {@link Decision#DISCONNECT}. A client that overshoots now
 * and then is therefore only ever told to slow down, and only a client that keeps sending into an empty bucket is
 * disconnected. {@link State#DISCONNECTED} is final.
 *
 * <p>Sans-I/O: the caller passes the time of a monotonic clock to each call. Not thread-safe; confine each
 * instance to one connection's event loop.
 */
public final class RateLimiter {
    /** What to do with one request. */
    public enum Decision {
        /** Serve the request. */
        ADMIT,
        /** Drop the request and answer it with a {@code RATE_LIMITED} error; the connection stays up. */
        REJECT,
        /** Drop the request and end the connection with {@code Bye(RATE_LIMITED)}. */
        DISCONNECT
    }

    /** Where the client stands. */
    public enum State {
        /** Requests are admitted or rejected by the buckets. */
        ACTIVE,
        /** The client abused the relay; every request is {@link Decision#DISCONNECT}. Final. */
        DISCONNECTED
    }

    private final RateLimit limit;
    private final TokenBucket requests;
    private final TokenBucket strikes;
    private State state = State.ACTIVE;
    private long rejected;

    /**
     * Creates the limiter of a new client, with both buckets full.
     *
     * @param limit the rate limit
     * @param nowNanos the current time of the caller's monotonic clock
     */
    public RateLimiter(RateLimit limit, long nowNanos) {
        this.limit = Objects.requireNonNull(limit, "limit");
        this.requests = new TokenBucket(limit.burstMessages(), limit.messagesPerSecond(), nowNanos);
        this.strikes = new TokenBucket(limit.disconnectAfterRejections(), strikeRefillPerSecond(limit), nowNanos);
    }

    /**
     * Decides what to do with one request.
     *
     * @param nowNanos the current time of the same clock as the constructor's
     * @return the decision; {@link Decision#DISCONNECT} from the first one on, for ever
     */
    public Decision onRequest(long nowNanos) {
        if (state == State.DISCONNECTED) {
            rejected++;
            return Decision.DISCONNECT;
        }
        if (requests.tryAcquire(nowNanos)) {
            return Decision.ADMIT;
        }
        rejected++;
        if (strikes.tryAcquire(nowNanos)) {
            return Decision.REJECT;
        }
        state = State.DISCONNECTED;
        return Decision.DISCONNECT;
    }

    /**
     * Returns where the client stands.
     *
     * @return the state
     */
    public State state() {
        return state;
    }

    /**
     * Counts the requests dropped so far, whether answered with an error or with disconnection.
     *
     * @return the number of requests not admitted
     */
    public long rejectedRequests() {
        return rejected;
    }

    /**
     * Returns the limit this limiter enforces.
     *
     * @return the rate limit
     */
    public RateLimit limit() {
        return limit;
    }

    /**
     * The strike refill rate: the whole allowance per window, rounded up to at least one a second. The bucket works
     * in whole tokens per second, so windows longer than the allowance in seconds round the tolerance up; the
     * documented guarantee (the request bucket) does not depend on it.
     */
    static int strikeRefillPerSecond(RateLimit limit) {
        long windowMillis = Math.max(1, limit.rejectionWindow().toMillis());
        long perSecond = (limit.disconnectAfterRejections() * 1000L + windowMillis - 1) / windowMillis;
        return (int) Math.max(1, Math.min(perSecond, RateLimit.MAX_MESSAGES));
    }

    @Override
    public String toString() {
        return "RateLimiter[" + state + ", rejected=" + rejected + ", " + limit + "]";
    }
}
