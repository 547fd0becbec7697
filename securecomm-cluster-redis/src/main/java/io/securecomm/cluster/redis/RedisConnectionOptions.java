package io.securecomm.cluster.redis;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What {@link RedisStoreOptions} and {@link RedisClusterOptions} share: the key prefix, and the connection's
 * deadlines and reconnection. Each options class is this plus its own settings, and each builder this one's setters
 * plus its own; the public methods appear as theirs.
 */
abstract class RedisConnectionOptions {
    /** A key prefix: it must not hold a brace, which would change the keys' hash slots. */
    private static final Pattern KEY_PREFIX = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final String keyPrefix;
    private final Duration commandTimeout;
    private final Duration connectTimeout;
    private final Duration maxReconnectDelay;

    RedisConnectionOptions(Builder<?> b) {
        this.keyPrefix = b.keyPrefix;
        this.commandTimeout = b.commandTimeout;
        this.connectTimeout = b.connectTimeout;
        this.maxReconnectDelay = b.maxReconnectDelay;
    }

    /**
     * What every key starts with: one Redis can hold several relays under different prefixes (docs/CLUSTER.md, "Key
     * layout"), and every node of one relay, its store and its cluster, uses the same.
     *
     * @return the prefix
     */
    public String keyPrefix() {
        return keyPrefix;
    }

    /**
     * The longest one command may take: then its operation fails (a store's with
     * {@link io.securecomm.relay.store.StoreException.Reason#UNAVAILABLE}).
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
     * Checks that a duration is positive.
     *
     * @param d the duration
     * @param name its setting's name, for the message
     * @return {@code d}
     * @throws IllegalArgumentException if it is zero or negative
     */
    static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
        return d;
    }

    /**
     * The setters of what the options share. Not thread-safe.
     *
     * @param <B> the builder's own type, which every setter returns
     */
    abstract static class Builder<B extends Builder<B>> {
        private String keyPrefix = RedisStoreOptions.DEFAULT_KEY_PREFIX;
        private Duration commandTimeout = RedisStoreOptions.DEFAULT_COMMAND_TIMEOUT;
        private Duration connectTimeout = RedisStoreOptions.DEFAULT_CONNECT_TIMEOUT;
        private Duration maxReconnectDelay = RedisStoreOptions.DEFAULT_MAX_RECONNECT_DELAY;

        Builder() {}

        /** This builder, as its own type. */
        abstract B self();

        /**
         * The key prefix (default {@code sc}): the same for the store and the cluster of one relay.
         *
         * @param keyPrefix letters, digits, {@code -}, {@code _} or {@code .}; 1 to 64 characters
         * @return this builder
         * @throws IllegalArgumentException if it is empty, too long or has another character (a brace would
         *     change the keys' hash slots)
         */
        public B keyPrefix(String keyPrefix) {
            Objects.requireNonNull(keyPrefix, "keyPrefix");
            if (!KEY_PREFIX.matcher(keyPrefix).matches()) {
                throw new IllegalArgumentException("keyPrefix must be 1 to 64 letters, digits, '.', '_' or '-', was '"
                        + keyPrefix + "'");
            }
            this.keyPrefix = keyPrefix;
            return self();
        }

        /**
         * The deadline of each command (default 2 s).
         *
         * @param timeout positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public B commandTimeout(Duration timeout) {
            this.commandTimeout = positive(timeout, "commandTimeout");
            return self();
        }

        /**
         * A new connection's deadline (default 2 s).
         *
         * @param timeout positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public B connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return self();
        }

        /**
         * The longest wait between reconnection attempts (default 1 s).
         *
         * @param delay positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public B maxReconnectDelay(Duration delay) {
            this.maxReconnectDelay = positive(delay, "maxReconnectDelay");
            return self();
        }
    }
}
