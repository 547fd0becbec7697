package io.securecomm.internal.limits;

import io.securecomm.relay.RateLimit;
import io.securecomm.relay.WorkLimit;
import java.util.Objects;

/**
 * One connection's share of the relay: decides, for each message the client sent, whether the relay does it now or
 * later, and (for the few messages that cannot even wait) whether to refuse it or end the connection.
 *
 * <p>A message is admitted when every allowance it needs has room ({@link #admit}): a token of the request bucket
 * ({@link RateLimit}: {@code burstMessages}, refilling at {@code messagesPerSecond}), its cost in the connection's
 * work bucket and in its address's shared one ({@link WorkLimit}), and, for a pre-key upload, a token of the upload
 * bucket. Otherwise {@link #admit} says how long until it would fit, and the adapter stops reading from the
 * connection until then: the client is slowed, never refused, however late the relay read what it sent. Only the
 * messages the adapter has already read beyond what it may hold ({@link #onOverflow}) are refused, each costing a
 * strike ({@code disconnectAfterRejections} of them, refilling over {@code rejectionWindow}); a client out of strikes
 * is disconnected, for good.
 *
 * <p>Over any interval of {@code t} seconds a connection is served at most {@code burstMessages +
 * messagesPerSecond * t} requests and {@code connectionBurstMicros + connectionMicrosPerSecond * t} microseconds of
 * modelled work plus one message's; all the connections of an address together at most
 * {@code addressBurstMicros + addressMicrosPerSecond * t} plus one message's each.
 *
 * <p>Sans-I/O: the caller passes the time of a monotonic clock (the same for every connection of an address, which
 * share a {@link SharedWorkBucket}). Not thread-safe; confine each instance to its connection's event loop.
 */
public final class RequestThrottle {
    /** What to do with a message that arrived while the connection may not hold any more. */
    public enum Overflow {
        /** Drop it and answer {@code RATE_LIMITED}; the connection stays up. */
        REJECT,
        /** Drop it and end the connection with {@code Bye(RATE_LIMITED)}; final. */
        DISCONNECT
    }

    /** Units of the upload bucket per upload: a bucket per second that refills {@code uploadsPerMinute} a minute. */
    private static final long UPLOAD_UNITS = 60;

    private final RateLimit rateLimit;
    private final TokenBucket requests;
    private final WorkBucket work;
    private final WorkBucket uploads;
    private final SharedWorkBucket address;
    private final TokenBucket strikes;
    private boolean disconnected;
    private long rejected;

    /**
     * Creates the throttle of a new connection, every allowance full.
     *
     * @param rateLimit the request rate and the tolerance of overflow
     * @param workLimit the work and upload allowances
     * @param address the work bucket this connection shares with the others of its address
     * @param nowNanos the current time of the caller's monotonic clock
     */
    public RequestThrottle(RateLimit rateLimit, WorkLimit workLimit, SharedWorkBucket address, long nowNanos) {
        this.rateLimit = Objects.requireNonNull(rateLimit, "rateLimit");
        Objects.requireNonNull(workLimit, "workLimit");
        this.address = Objects.requireNonNull(address, "address");
        requests = new TokenBucket(rateLimit.burstMessages(), rateLimit.messagesPerSecond(), nowNanos);
        work = new WorkBucket(workLimit.connectionBurstMicros(), workLimit.connectionMicrosPerSecond(), nowNanos);
        uploads = new WorkBucket(workLimit.uploadBurst() * UPLOAD_UNITS, workLimit.uploadsPerMinute(), nowNanos);
        strikes = new TokenBucket(rateLimit.disconnectAfterRejections(), strikeRefillPerSecond(rateLimit), nowNanos);
    }

    /**
     * The shared work bucket of one address, as {@link WorkLimit} sizes it.
     *
     * @param workLimit the work limit
     * @param nowNanos the current time of the callers' monotonic clock
     * @return a full bucket
     */
    public static SharedWorkBucket addressBucket(WorkLimit workLimit, long nowNanos) {
        return new SharedWorkBucket(workLimit.addressBurstMicros(), workLimit.addressMicrosPerSecond(), nowNanos);
    }

    /**
     * Admits a message if every allowance it needs has room now, and charges them all; else charges nothing.
     *
     * @param cost what the message costs
     * @param nowNanos the current time of the same clock as the constructor's
     * @return 0 if the message was admitted, else the nanoseconds to wait before asking again (at least 1)
     */
    public long admit(Cost cost, long nowNanos) {
        if (!cost.request()) {
            return 0;
        }
        long wait = requests.nanosUntilAvailable(nowNanos);
        wait = Math.max(wait, work.nanosUntil(cost.workMicros(), nowNanos));
        if (cost.upload()) {
            wait = Math.max(wait, uploads.nanosUntil(UPLOAD_UNITS, nowNanos));
        }
        if (wait > 0) {
            return wait;
        }
        // Last, and atomically: the one allowance other connections draw on too.
        wait = address.tryTake(cost.workMicros(), nowNanos);
        if (wait > 0) {
            return wait;
        }
        requests.tryAcquire(nowNanos);
        work.take(cost.workMicros(), nowNanos);
        if (cost.upload()) {
            uploads.take(UPLOAD_UNITS, nowNanos);
        }
        return 0;
    }

    /**
     * A message arrived that the connection may not hold: it costs a strike, or ends the connection when none is
     * left (and every later call says so too).
     *
     * @param nowNanos the current time of the same clock as the constructor's
     * @return what to do with the message
     */
    public Overflow onOverflow(long nowNanos) {
        rejected++;
        if (disconnected || !strikes.tryAcquire(nowNanos)) {
            disconnected = true;
            return Overflow.DISCONNECT;
        }
        return Overflow.REJECT;
    }

    /**
     * Tells whether the connection ran out of strikes.
     *
     * @return {@code true} once {@link #onOverflow} said {@link Overflow#DISCONNECT}
     */
    public boolean isDisconnected() {
        return disconnected;
    }

    /**
     * Counts the messages refused so far.
     *
     * @return the number of {@link #onOverflow} calls
     */
    public long rejectedRequests() {
        return rejected;
    }

    /**
     * Returns the rate limit this throttle enforces.
     *
     * @return the rate limit
     */
    public RateLimit rateLimit() {
        return rateLimit;
    }

    /**
     * The strike refill rate: the whole allowance per window, rounded up to at least one a second. The bucket works
     * in whole tokens per second, so windows longer than the allowance in seconds round the tolerance up.
     */
    static int strikeRefillPerSecond(RateLimit limit) {
        long windowMillis = Math.max(1, limit.rejectionWindow().toMillis());
        long perSecond = (limit.disconnectAfterRejections() * 1000L + windowMillis - 1) / windowMillis;
        return (int) Math.max(1, Math.min(perSecond, RateLimit.MAX_MESSAGES));
    }

    @Override
    public String toString() {
        return "RequestThrottle[" + (disconnected ? "DISCONNECTED" : "ACTIVE") + ", rejected=" + rejected + ", "
                + rateLimit + "]";
    }
}
