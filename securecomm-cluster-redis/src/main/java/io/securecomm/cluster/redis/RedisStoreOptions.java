package io.securecomm.cluster.redis;

import io.securecomm.relay.store.StoreLimits;
import io.securecomm.relay.store.StoreMeter;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * How a {@link RedisRelayStore} is opened. Immutable; built with {@link #builder()}, or {@link #defaults()}.
 *
 * <p>Every command has a deadline ({@link #commandTimeout()}), so an unreachable or stalled Redis fails an
 * operation with {@link io.securecomm.relay.store.StoreException.Reason#UNAVAILABLE} within it, never hangs.
 */
public final class RedisStoreOptions extends RedisConnectionOptions {
    /** The default {@link #keyPrefix()}. */
    public static final String DEFAULT_KEY_PREFIX = "sc";

    /** The default {@link #commandTimeout()}: 2 seconds. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);

    /** The default {@link #connectTimeout()}: 2 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);

    /** The default {@link #maxReconnectDelay()}: 1 second. */
    public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

    /** The default {@link #recoveryProbeInterval()}: 1 second. */
    public static final Duration DEFAULT_RECOVERY_PROBE_INTERVAL = Duration.ofSeconds(1);

    private final Clock clock;
    private final StoreLimits limits;
    private final Duration recoveryProbeInterval;
    private final Executor completionExecutor;
    private final StoreMeter meter;

    private RedisStoreOptions(Builder b) {
        super(b);
        this.clock = b.clock;
        this.limits = b.limits;
        this.recoveryProbeInterval = b.recoveryProbeInterval;
        this.completionExecutor = b.completionExecutor;
        this.meter = b.meter;
    }

    /**
     * The defaults: the system clock, {@link StoreLimits#defaults()}, and the defaults of each builder method.
     *
     * @return the options
     */
    public static RedisStoreOptions defaults() {
        return builder().build();
    }

    /**
     * A builder starting from the defaults.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The time for registrations, stored messages and expiry. Every node of a cluster should keep its clock
     * synchronised (NTP): a stored message's time is its node's.
     *
     * @return the clock
     */
    public Clock clock() {
        return clock;
    }

    /**
     * The bounds per account. Every node of one relay should use the same.
     *
     * @return the limits
     */
    public StoreLimits limits() {
        return limits;
    }

    /**
     * While the store is failing, how often it tries a small write to learn that Redis works again.
     *
     * @return the interval
     */
    public Duration recoveryProbeInterval() {
        return recoveryProbeInterval;
    }

    /**
     * Where the stages the store returns complete, so that a caller's slow callback never runs on (and stalls)
     * the Redis client's I/O thread.
     *
     * @return the executor; the common fork-join pool by default
     */
    public Executor completionExecutor() {
        return completionExecutor;
    }

    /**
     * Told each write's round trip and each failed operation's reason.
     *
     * @return the meter; {@link StoreMeter#NONE} by default
     */
    public StoreMeter meter() {
        return meter;
    }

    /** Builds {@link RedisStoreOptions}. Not thread-safe. */
    public static final class Builder extends RedisConnectionOptions.Builder<Builder> {
        private Clock clock = Clock.systemUTC();
        private StoreLimits limits = StoreLimits.defaults();
        private Duration recoveryProbeInterval = DEFAULT_RECOVERY_PROBE_INTERVAL;
        private Executor completionExecutor = ForkJoinPool.commonPool();
        private StoreMeter meter = StoreMeter.NONE;

        private Builder() {}

        @Override
        Builder self() {
            return this;
        }

        /**
         * Sets the clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets the limits.
         *
         * @param limits the limits
         * @return this builder
         */
        public Builder limits(StoreLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /**
         * Sets how often a failing store probes Redis.
         *
         * @param interval positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder recoveryProbeInterval(Duration interval) {
            this.recoveryProbeInterval = positive(interval, "recoveryProbeInterval");
            return this;
        }

        /**
         * Sets where stages complete.
         *
         * @param executor the executor
         * @return this builder
         */
        public Builder completionExecutor(Executor executor) {
            this.completionExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Sets the meter.
         *
         * @param meter the meter
         * @return this builder
         */
        public Builder meter(StoreMeter meter) {
            this.meter = Objects.requireNonNull(meter, "meter");
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         */
        public RedisStoreOptions build() {
            return new RedisStoreOptions(this);
        }
    }
}
