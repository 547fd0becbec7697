package io.securecomm.relay;

/**
 * How much of the relay's CPU one connection, and all the connections of one remote address together, may use, and
 * how often a client may upload pre-keys: the limits that bound the relay's <b>work</b>, where {@link RateLimit}
 * bounds the number of requests (docs/SECURITY.md, "Cost model" and "Fairness").
 *
 * <p>Every message a client sends is given a cost before the relay does the work: its estimated CPU in microseconds,
 * from a model measured by the benchmarks (a {@code Ping} a few microseconds, a pre-key upload whose signed pre-key
 * was not verified before about 800, a room envelope its size times the recipients). Each connection has a bucket of
 * {@code connectionBurstMicros} refilling at {@code connectionMicrosPerSecond}; the connections of one IPv4 address
 * (or IPv6 /64) share another, of {@code addressBurstMicros} refilling at {@code addressMicrosPerSecond}; pre-key
 * uploads take, besides, one of {@code uploadBurst} tokens refilling at {@code uploadsPerMinute}. A message whose
 * cost does not fit is not refused: the relay stops reading from that connection until it fits (back-pressure
 * through TCP), so a client that sends too much only slows itself, and an honest client whose messages the relay
 * read late, in one go, is never refused for it.
 *
 * @param connectionMicrosPerSecond the CPU one connection may use, sustained, in microseconds per second
 * @param connectionBurstMicros the CPU one connection may use at once after a quiet spell, in microseconds
 * @param addressMicrosPerSecond the CPU the connections of one address may use together, sustained
 * @param addressBurstMicros the CPU the connections of one address may use together at once
 * @param uploadsPerMinute the pre-key uploads one connection may send, sustained, per minute
 * @param uploadBurst the pre-key uploads one connection may send at once
 */
public record WorkLimit(long connectionMicrosPerSecond, long connectionBurstMicros, long addressMicrosPerSecond,
        long addressBurstMicros, int uploadsPerMinute, int uploadBurst) {
    /**
     * The default sustained CPU per connection: 20 ms per second, 2% of a core (a person's chat uses a few
     * hundredths of that; a 4 KiB message to a full room of 255 costs about 4 ms).
     */
    public static final long DEFAULT_CONNECTION_MICROS_PER_SECOND = 20_000;
    /** The default burst per connection: 200 ms of CPU. */
    public static final long DEFAULT_CONNECTION_BURST_MICROS = 200_000;
    /** The default sustained CPU per address: 100 ms per second, a tenth of a core. */
    public static final long DEFAULT_ADDRESS_MICROS_PER_SECOND = 100_000;
    /** The default burst per address: 500 ms of CPU. */
    public static final long DEFAULT_ADDRESS_BURST_MICROS = 500_000;
    /** The default sustained pre-key uploads: 6 per minute (an honest client uploads a few times per hour). */
    public static final int DEFAULT_UPLOADS_PER_MINUTE = 6;
    /** The default burst of pre-key uploads: 5. */
    public static final int DEFAULT_UPLOAD_BURST = 5;
    /** The largest value of any component: 1000 s of CPU, or a million uploads. */
    public static final long MAX_VALUE = 1_000_000_000L;

    /**
     * Checks the components.
     *
     * @param connectionMicrosPerSecond the CPU one connection may use, sustained, in microseconds per second
     * @param connectionBurstMicros the CPU one connection may use at once, in microseconds
     * @param addressMicrosPerSecond the CPU the connections of one address may use together, sustained
     * @param addressBurstMicros the CPU the connections of one address may use together at once
     * @param uploadsPerMinute the pre-key uploads one connection may send per minute, sustained
     * @param uploadBurst the pre-key uploads one connection may send at once
     * @throws IllegalArgumentException if a component is below 1 or above {@value #MAX_VALUE} (uploads: a million)
     */
    public WorkLimit {
        check(connectionMicrosPerSecond, MAX_VALUE, "connectionMicrosPerSecond");
        check(connectionBurstMicros, MAX_VALUE, "connectionBurstMicros");
        check(addressMicrosPerSecond, MAX_VALUE, "addressMicrosPerSecond");
        check(addressBurstMicros, MAX_VALUE, "addressBurstMicros");
        check(uploadsPerMinute, 1_000_000, "uploadsPerMinute");
        check(uploadBurst, 1_000_000, "uploadBurst");
    }

    /**
     * The defaults: 20 ms of CPU per second per connection (bursts of 200 ms), 100 ms per second per address
     * (bursts of 500 ms), 6 pre-key uploads per minute (bursts of 5).
     *
     * @return the default work limit
     */
    public static WorkLimit defaults() {
        return new WorkLimit(DEFAULT_CONNECTION_MICROS_PER_SECOND, DEFAULT_CONNECTION_BURST_MICROS,
                DEFAULT_ADDRESS_MICROS_PER_SECOND, DEFAULT_ADDRESS_BURST_MICROS, DEFAULT_UPLOADS_PER_MINUTE,
                DEFAULT_UPLOAD_BURST);
    }

    /**
     * No practical limit: for load tests, where every client comes from one address and sends flat out. Never for a
     * relay on a network.
     *
     * @return the largest limit
     */
    public static WorkLimit unlimitedForTesting() {
        return new WorkLimit(MAX_VALUE, MAX_VALUE, MAX_VALUE, MAX_VALUE, 1_000_000, 1_000_000);
    }

    private static void check(long value, long max, String name) {
        if (value < 1 || value > max) {
            throw new IllegalArgumentException(name + " must be 1.." + max + ", got " + value);
        }
    }
}
