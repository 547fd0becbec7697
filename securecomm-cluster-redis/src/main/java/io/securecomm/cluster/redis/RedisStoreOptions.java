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
public final class RedisStoreOptions {
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
    private final String keyPrefix;
    private final Duration commandTimeout;
    private final Duration connectTimeout;
    private final Duration maxReconnectDelay;
    private final Duration recoveryProbeInterval;
    private final Executor completionExecutor;
    private final StoreMeter meter;

    private RedisStoreOptions(Builder b) {
        this.clock = b.clock;
        this.limits = b.limits;
        this.keyPrefix = b.keyPrefix;
        this.commandTimeout = b.commandTimeout;
        this.connectTimeout = b.connectTimeout;
        this.maxReconnectDelay = b.maxReconnectDelay;
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
     * What every key of this store starts with: one Redis can hold several relays' stores under different
     * prefixes (docs/CLUSTER.md, "Key layout").
     *
     * @return the prefix
     */
    public String keyPrefix() {
        return keyPrefix;
    }

    /**
     * The longest one command may take before its operation fails with
     * {@link io.securecomm.relay.store.StoreException.Reason#UNAVAILABLE}.
     *
     * @return the deadline of each command
     */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /**
     * The longest opening a connection to Redis may take.
     *
     * @return the connect timeout
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * The longest wait between two attempts to reconnect to Redis (the client backs off exponentially from 10 ms
     * up to this).
     *
     * @return the largest reconnect delay
     */
    public Duration maxReconnectDelay() {
        return maxReconnectDelay;
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
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private StoreLimits limits = StoreLimits.defaults();
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration maxReconnectDelay = DEFAULT_MAX_RECONNECT_DELAY;
        private Duration recoveryProbeInterval = DEFAULT_RECOVERY_PROBE_INTERVAL;
        private Executor completionExecutor = ForkJoinPool.commonPool();
        private StoreMeter meter = StoreMeter.NONE;

        private Builder() {}

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
         * Sets the key prefix.
         *
         * @param keyPrefix letters, digits, {@code -}, {@code _} or {@code .}; 1 to 64 characters
         * @return this builder
         * @throws IllegalArgumentException if it is empty, too long or has another character (a brace would
         *     change the keys' hash slots)
         */
        public Builder keyPrefix(String keyPrefix) {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            if (!keyPrefix.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new IllegalArgumentException("keyPrefix must be 1 to 64 letters, digits, '.', '_' or '-', was '"
                        + keyPrefix + "'");
            }
            this.keyPrefix = keyPrefix;
            return this;
        }

        /**
         * Sets the deadline of each command.
         *
         * @param timeout positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder commandTimeout(Duration timeout) {
            this.commandTimeout = positive(timeout, "commandTimeout");
            return this;
        }

        /**
         * Sets the connect timeout.
         *
         * @param timeout positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * Sets the largest reconnect delay.
         *
         * @param delay positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder maxReconnectDelay(Duration delay) {
            this.maxReconnectDelay = positive(delay, "maxReconnectDelay");
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

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            return d;
        }
    }
}
