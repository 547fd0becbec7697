package io.securecomm.cluster.redis;

import io.lettuce.core.RedisURI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a {@link RedisRelayCluster} joins its cluster: where Redis is, this node's id, and the cluster's timings.
 * Immutable; built with {@link #builder(String)}.
 *
 * <p>Every node of one relay must use the same {@link #keyPrefix()} (and the same Redis); the
 * {@link #presenceExpiry()} and {@link #routeTimeout()} should be the same on every node too, since each node expires
 * the others by its own setting.
 */
public final class RedisClusterOptions extends RedisConnectionOptions {
    /** The default {@link #keyPrefix()}: the store's, so one prefix names one relay. */
    public static final String DEFAULT_KEY_PREFIX = RedisStoreOptions.DEFAULT_KEY_PREFIX;

    /** The default {@link #presenceExpiry()}: 10 seconds. */
    public static final Duration DEFAULT_PRESENCE_EXPIRY = Duration.ofSeconds(10);

    /** The default {@link #routeTimeout()}: 3 seconds. */
    public static final Duration DEFAULT_ROUTE_TIMEOUT = Duration.ofSeconds(3);

    /** The default {@link #commandTimeout()}: 2 seconds, as the store's. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = RedisStoreOptions.DEFAULT_COMMAND_TIMEOUT;

    /** The default {@link #connectTimeout()}: 2 seconds. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = RedisStoreOptions.DEFAULT_CONNECT_TIMEOUT;

    /** The default {@link #maxReconnectDelay()}: 1 second. */
    public static final Duration DEFAULT_MAX_RECONNECT_DELAY = RedisStoreOptions.DEFAULT_MAX_RECONNECT_DELAY;

    /** The default {@link #idBlockSize()}: 64 client ids reserved at a time. */
    public static final int DEFAULT_ID_BLOCK_SIZE = 64;

    /** The default {@link #inboxMaxEntries()}: 100,000 entries. */
    public static final long DEFAULT_INBOX_MAX_ENTRIES = 100_000;

    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final String redisUri;
    private final String nodeId;
    private final Duration presenceExpiry;
    private final Duration routeTimeout;
    private final int idBlockSize;
    private final long inboxMaxEntries;

    private RedisClusterOptions(Builder b) {
        super(b);
        this.redisUri = b.redisUri;
        this.nodeId = b.nodeId == null ? randomNodeId() : b.nodeId;
        this.presenceExpiry = b.presenceExpiry;
        this.routeTimeout = b.routeTimeout;
        this.idBlockSize = b.idBlockSize;
        this.inboxMaxEntries = b.inboxMaxEntries;
    }

    /**
     * A builder for a Redis, starting from the defaults.
     *
     * @param redisUri where Redis is: {@code redis://host:port}, {@code redis://:password@host:port} (or
     *     {@code redis://user:password@host:port} with ACLs), {@code rediss://host:port} for TLS, optionally
     *     {@code /N} for database N
     * @return a new builder
     * @throws IllegalArgumentException if the URI is not a Redis URI
     */
    public static Builder builder(String redisUri) {
        return new Builder(redisUri);
    }

    /**
     * A node id no other node has: {@code node-} and 12 random hex digits. A restarted node is a new node.
     *
     * @return the id
     */
    public static String randomNodeId() {
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        return "node-" + HexFormat.of().formatHex(random);
    }

    /**
     * Where Redis is, as given (it may hold a password: never print it; {@link RedisRelayCluster#where()} is the
     * printable form).
     *
     * @return the URI
     */
    public String redisUri() {
        return redisUri;
    }

    /**
     * This node's id, unique in the cluster: letters, digits, {@code .}, {@code _} and {@code -}, 1 to 64 of them.
     *
     * @return the id
     */
    public String nodeId() {
        return nodeId;
    }

    /**
     * How long a node's presence outlives its last heartbeat; each node heartbeats four times per expiry.
     *
     * @return the expiry
     */
    public Duration presenceExpiry() {
        return presenceExpiry;
    }

    /**
     * The longest a routed message waits for the other node's answer before it is reported not delivered.
     *
     * @return the route deadline
     */
    public Duration routeTimeout() {
        return routeTimeout;
    }

    /**
     * How many client ids the node reserves at a time ({@code INCRBY}), so that handing one out never waits.
     *
     * @return the block size
     */
    public int idBlockSize() {
        return idBlockSize;
    }

    /**
     * The most entries a node's inbox stream keeps (trimmed approximately): the bound on what piles up for a node
     * that reads too slowly. A node trims what it has read anyway.
     *
     * @return the bound
     */
    public long inboxMaxEntries() {
        return inboxMaxEntries;
    }

    @Override
    public String toString() {
        return "RedisClusterOptions[node=" + nodeId + ", prefix=" + keyPrefix() + ", expiry=" + presenceExpiry
                + ", routeTimeout=" + routeTimeout + "]";
    }

    /** Builds {@link RedisClusterOptions}. Not thread-safe. */
    public static final class Builder extends RedisConnectionOptions.Builder<Builder> {
        private final String redisUri;
        private String nodeId;
        private Duration presenceExpiry = DEFAULT_PRESENCE_EXPIRY;
        private Duration routeTimeout = DEFAULT_ROUTE_TIMEOUT;
        private int idBlockSize = DEFAULT_ID_BLOCK_SIZE;
        private long inboxMaxEntries = DEFAULT_INBOX_MAX_ENTRIES;

        private Builder(String redisUri) {
            Objects.requireNonNull(redisUri, "redisUri");
            try {
                RedisURI.create(redisUri);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("not a Redis URI (redis://host:port, rediss://host:port,"
                        + " redis://:password@host:port): " + e.getMessage(), e);
            }
            this.redisUri = redisUri;
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * This node's id (default: {@link #randomNodeId()}).
         *
         * @param nodeId the id: 1 to 64 letters, digits, {@code .}, {@code _} or {@code -}
         * @return this builder
         * @throws IllegalArgumentException if it has another character or a wrong length
         */
        public Builder nodeId(String nodeId) {
            Objects.requireNonNull(nodeId, "nodeId");
            if (!NODE_ID.matcher(nodeId).matches()) {
                throw new IllegalArgumentException("a node id is 1 to 64 letters, digits, '.', '_' or '-', was '"
                        + nodeId + "'");
            }
            this.nodeId = nodeId;
            return this;
        }

        /**
         * How long a node's presence outlives its last heartbeat (default 10 s).
         *
         * @param expiry at least 300 ms
         * @return this builder
         * @throws IllegalArgumentException if shorter
         */
        public Builder presenceExpiry(Duration expiry) {
            Objects.requireNonNull(expiry, "expiry");
            if (expiry.compareTo(Duration.ofMillis(300)) < 0) {
                throw new IllegalArgumentException("presenceExpiry must be at least 300 ms, was " + expiry);
            }
            this.presenceExpiry = expiry;
            return this;
        }

        /**
         * The deadline of every route (default 3 s).
         *
         * @param timeout positive
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder routeTimeout(Duration timeout) {
            this.routeTimeout = positive(timeout, "routeTimeout");
            return this;
        }

        /**
         * How many client ids to reserve at a time (default 64).
         *
         * @param size 1 to 1,000,000
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder idBlockSize(int size) {
            if (size < 1 || size > 1_000_000) {
                throw new IllegalArgumentException("idBlockSize must be 1 to 1000000, was " + size);
            }
            this.idBlockSize = size;
            return this;
        }

        /**
         * The most entries a node's inbox keeps (default 100,000).
         *
         * @param entries at least 1,000
         * @return this builder
         * @throws IllegalArgumentException if fewer
         */
        public Builder inboxMaxEntries(long entries) {
            if (entries < 1_000) {
                throw new IllegalArgumentException("inboxMaxEntries must be at least 1000, was " + entries);
            }
            this.inboxMaxEntries = entries;
            return this;
        }

        /**
         * The options.
         *
         * @return the options
         * @throws IllegalArgumentException if the route timeout is not shorter than the presence expiry
         */
        public RedisClusterOptions build() {
            if (routeTimeout.compareTo(presenceExpiry) >= 0) {
                throw new IllegalArgumentException("routeTimeout (" + routeTimeout + ") must be shorter than"
                        + " presenceExpiry (" + presenceExpiry + ")");
            }
            return new RedisClusterOptions(this);
        }
    }
}
