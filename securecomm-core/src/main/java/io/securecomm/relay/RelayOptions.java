package io.securecomm.relay;

import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.relay.cluster.RelayCluster;
import io.securecomm.relay.store.RelayStore;
import io.securecomm.wire.Limits;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Immutable configuration of a {@link RelayServer}, built with {@link #builder()}.
 *
 * <pre>{@code
 * RelayOptions options = RelayOptions.builder()
 *         .bindAddress("127.0.0.1")
 *         .port(0)                       // ephemeral; read RelayServer.localAddress()
 *         .identity(relayKeyPair)        // omit for a fresh key per run
 *         .handshakeTimeout(Duration.ofSeconds(10))
 *         .build();
 * }</pre>
 *
 * <p>Not a record: it holds the relay's identity key pair, a secret that must never be printed or
 * compared; {@link #toString()} omits it. The options do not copy or close the key pair: the caller
 * keeps it open while the relay runs.
 */
public final class RelayOptions {
    /** The default port, as the original program used. */
    public static final int DEFAULT_PORT = 8080;
    /** The default bind address: every interface. */
    public static final String DEFAULT_BIND_ADDRESS = "0.0.0.0";
    /** The default time a client has to complete the Noise handshake and say hello. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** The default time {@link RelayServer#close()} waits for the connections to close after their goodbyes. */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);
    /**
     * The default maximum number of online (admitted) clients: 10,000, as many as the default connection limit. The
     * relay lists them page by page ({@code ListPage}), so the number is not bounded by what one message carries.
     */
    public static final int DEFAULT_MAX_CLIENTS = 10_000;
    /** The largest {@link Builder#maxClients(int)} accepted: 1,000,000. */
    public static final int MAX_CLIENTS = 1_000_000;
    /**
     * The default member limit of the public room: 256, the most one {@code ClientList} and one room envelope carry
     * ({@code Limits.CLIENT_LIST_MAX_ENTRIES}), and also the most allowed. docs/RELAY.md, "The public room", argues it.
     */
    public static final int DEFAULT_MAX_ROOM_MEMBERS = Limits.CLIENT_LIST_MAX_ENTRIES;
    /** The default limit of bytes queued for one client that does not read: 1 MiB. */
    public static final int DEFAULT_SLOW_READER_LIMIT_BYTES = 1 << 20;
    /**
     * The default time the relay waits for a client to take any of the bytes queued for it before it disconnects
     * the client as too slow: 15 s, half a client's default request timeout, so a sender hears
     * {@code RECIPIENT_TOO_SLOW} before its own request times out.
     */
    public static final Duration DEFAULT_SLOW_READER_TIMEOUT = Duration.ofSeconds(15);
    /** The default maximum number of open TCP connections, in any state (handshaking, admitted, closing). */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    /** The default maximum number of open connections from one IPv4 address or one IPv6 /64. */
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 64;
    /**
     * The {@link Builder#eventLoops(int)} that asks for the default: the system property
     * {@code io.netty.eventLoopThreads} if it is set, else one event loop per available processor.
     */
    public static final int DEFAULT_EVENT_LOOPS = 0;
    /** The most {@link Builder#eventLoops(int)} accepted: 1,024. */
    public static final int MAX_EVENT_LOOPS = 1024;
    /** The default time without a complete message from a client after which the relay sends it a Ping. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(30);
    /** The default time without a complete message from a client after which the relay disconnects it. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /**
     * The default largest frame the relay accepts from a client: 16 KiB. The largest message a v1 client can send
     * ({@code SendPrivate} with an 8192-byte text field) is an 8,223-byte record, so every legal message fits, and a
     * connection that stalls mid-frame holds at most this much.
     */
    public static final int DEFAULT_MAX_FRAME_LENGTH_BYTES = 16 * 1024;

    private final String bindAddress;
    private final int port;
    private final NoiseKeyPair identity;
    private final Duration handshakeTimeout;
    private final Duration shutdownTimeout;
    private final int maxClients;
    private final int maxRoomMembers;
    private final int slowReaderLimitBytes;
    private final Duration slowReaderTimeout;
    private final String serverInfo;
    private final RelayListener listener;
    private final RelayMeter meter;
    private final InsecureLegacyMode insecureLegacyCrypto;
    private final int maxConnections;
    private final int maxConnectionsPerAddress;
    private final int eventLoops;
    private final Duration pingInterval;
    private final Duration idleTimeout;
    private final int maxFrameLengthBytes;
    private final RateLimit rateLimit;
    private final WorkLimit workLimit;
    private final RelayStore store;
    private final RelayCluster cluster;

    private RelayOptions(Builder b) {
        this.bindAddress = b.bindAddress;
        this.port = b.port;
        this.identity = b.identity != null ? b.identity : NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom());
        this.handshakeTimeout = b.handshakeTimeout;
        this.shutdownTimeout = b.shutdownTimeout;
        this.maxClients = b.maxClients;
        this.maxRoomMembers = b.maxRoomMembers;
        this.slowReaderLimitBytes = b.slowReaderLimitBytes;
        this.slowReaderTimeout = b.slowReaderTimeout;
        this.serverInfo = b.serverInfo;
        this.listener = b.listener;
        this.meter = b.meter;
        this.insecureLegacyCrypto = b.insecureLegacyCrypto;
        this.maxConnections = b.maxConnections;
        this.maxConnectionsPerAddress = b.maxConnectionsPerAddress;
        this.eventLoops = b.eventLoops;
        this.pingInterval = b.pingInterval;
        this.idleTimeout = b.idleTimeout;
        this.maxFrameLengthBytes = b.maxFrameLengthBytes;
        this.rateLimit = b.rateLimit;
        this.workLimit = b.workLimit;
        this.store = b.store;
        this.cluster = b.cluster;
    }

    /**
     * The cluster this relay is a node of (docs/CLUSTER.md), if one was set; without one, each relay is a cluster of
     * its own ({@link RelayCluster#standalone()}). The relay borrows the cluster: it attaches itself when it starts,
     * and does not close it.
     *
     * @return the cluster, or empty for a relay on its own
     */
    public Optional<RelayCluster> cluster() {
        return Optional.ofNullable(cluster);
    }

    /**
     * The relay's store of accounts, published pre-keys and stored messages (docs/STORE.md), if one was set; without
     * one, each relay keeps them in a fresh {@link io.securecomm.relay.store.InMemoryRelayStore}, lost when it stops.
     * The relay borrows the store: it does not close it.
     *
     * @return the store, or empty for a fresh in-memory one
     */
    public Optional<RelayStore> store() {
        return Optional.ofNullable(store);
    }

    /**
     * Starts a builder with the defaults: {@value #DEFAULT_BIND_ADDRESS}, port {@value #DEFAULT_PORT},
     * a fresh identity key, {@link #DEFAULT_HANDSHAKE_TIMEOUT}, {@link #DEFAULT_SHUTDOWN_TIMEOUT},
     * {@link #DEFAULT_MAX_CLIENTS} clients, {@link #DEFAULT_SLOW_READER_LIMIT_BYTES}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The defaults, with a fresh identity key.
     *
     * @return options as {@link #builder()} starts them
     */
    public static RelayOptions defaults() {
        return builder().build();
    }

    /**
     * The address to bind: a host name or IP literal.
     *
     * @return the bind address
     */
    public String bindAddress() {
        return bindAddress;
    }

    /**
     * The port to bind; 0 asks the system for an ephemeral port.
     *
     * @return the port, 0 to 65535
     */
    public int port() {
        return port;
    }

    /**
     * The relay's identity key pair: its Noise static key (X25519).
     *
     * @return the key pair (not a copy: do not close it while the relay runs)
     */
    public NoiseKeyPair identity() {
        return identity;
    }

    /**
     * How long a new connection may take to complete the handshake and its hello before the relay
     * drops it.
     *
     * @return a positive duration
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * How long {@link RelayServer#close()} waits for the connections to close after their goodbyes.
     *
     * @return a positive duration
     */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /**
     * The most clients online at once; further hellos get {@code SERVER_FULL}.
     *
     * @return 1 to {@link #MAX_CLIENTS}
     */
    public int maxClients() {
        return maxClients;
    }

    /**
     * The public room's member limit: the most clients in the room at once. A client admitted while the room is full
     * is online (listed, reachable by nobody's room) but outside the room: it gets no room messages and no presence,
     * and no one is told of its arrival or departure (docs/RELAY.md, "The public room").
     *
     * @return 1 to {@code Limits.CLIENT_LIST_MAX_ENTRIES} (256)
     */
    public int maxRoomMembers() {
        return maxRoomMembers;
    }

    /**
     * How many bytes may wait, unsent, for one client that does not read fast enough; a message that
     * would go to a client past this limit disconnects it with {@code Bye(TOO_SLOW)} instead, so one
     * stalled reader cannot make the relay buffer without bound.
     *
     * @return the limit in bytes
     */
    public int slowReaderLimitBytes() {
        return slowReaderLimitBytes;
    }

    /**
     * How long bytes may wait for one client without it taking any of them; past it the client is disconnected
     * with {@code Bye(TOO_SLOW)} even if its queue is below {@link #slowReaderLimitBytes()}, so a reader that
     * stalls with little queued cannot leave the senders of those messages waiting for an answer.
     *
     * @return a positive duration
     */
    public Duration slowReaderTimeout() {
        return slowReaderTimeout;
    }

    /**
     * The text the relay sends in its welcome, identifying its software.
     *
     * @return the server info
     */
    public String serverInfo() {
        return serverInfo;
    }

    /**
     * Observes clients joining and leaving.
     *
     * @return the listener; {@link RelayListener#NONE} by default
     */
    public RelayListener listener() {
        return listener;
    }

    /**
     * Receives the relay's operational numbers (connections, handshakes, relayed messages, bytes, latency).
     *
     * @return the meter; {@link RelayMeter#NONE} by default, which measures nothing
     */
    public RelayMeter meter() {
        return meter;
    }

    /**
     * Whether the relay also speaks the INSECURE legacy suite, for teaching.
     *
     * @return {@link InsecureLegacyMode#OFF} unless {@link Builder#insecureLegacyCrypto(InsecureLegacyMode)} said
     *     otherwise
     */
    public InsecureLegacyMode insecureLegacyCrypto() {
        return insecureLegacyCrypto;
    }

    /**
     * The most open TCP connections, in any state; the relay closes further ones at once, before any handshake.
     *
     * @return at least 1
     */
    public int maxConnections() {
        return maxConnections;
    }

    /**
     * The most open connections from one IPv4 address or one IPv6 /64 prefix; the relay closes further ones at
     * once.
     *
     * @return 1 to {@link #maxConnections()}
     */
    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    /**
     * The event loops (threads) that serve the connections, each connection on one of them for its whole life; or
     * {@link #DEFAULT_EVENT_LOOPS} for the default, one per available processor (or the system property
     * {@code io.netty.eventLoopThreads} where it is set). A message between connections on two loops is handed
     * from one to the other and its outcome handed back, which costs CPU; docs/OPERATIONS.md says when fewer loops
     * are cheaper.
     *
     * @return 0 for the default, or 1 to {@link #MAX_EVENT_LOOPS}
     */
    public int eventLoops() {
        return eventLoops;
    }

    /**
     * How long a client may stay silent (no complete message) before the relay sends it a {@code Ping}; a live
     * client answers with a {@code Pong}, which counts as activity.
     *
     * @return a positive duration, shorter than {@link #idleTimeout()}
     */
    public Duration pingInterval() {
        return pingInterval;
    }

    /**
     * How long a client may stay silent (no complete message) before the relay says {@code Bye} with reason
     * {@code IDLE_TIMEOUT} and closes the connection. Bytes that never complete a frame do not count, so a
     * slowloris client is dropped too.
     *
     * @return a positive duration
     */
    public Duration idleTimeout() {
        return idleTimeout;
    }

    /**
     * The largest frame payload (one Noise message) the relay accepts from a client; a larger length prefix ends
     * the connection before anything is allocated for it.
     *
     * @return 1 to 65535
     */
    public int maxFrameLengthBytes() {
        return maxFrameLengthBytes;
    }

    /**
     * How fast each client may send, and when a client that sends faster is disconnected.
     *
     * @return the rate limit
     */
    public RateLimit rateLimit() {
        return rateLimit;
    }

    /**
     * How much CPU each connection, and each remote address, may use, and how often a client may upload pre-keys.
     *
     * @return the work limit
     */
    public WorkLimit workLimit() {
        return workLimit;
    }

    @Override
    public String toString() {
        return "RelayOptions[bindAddress=" + bindAddress + ", port=" + port + ", handshakeTimeout=" + handshakeTimeout
                + ", shutdownTimeout=" + shutdownTimeout + ", maxClients=" + maxClients
                + ", maxRoomMembers=" + maxRoomMembers
                + ", slowReaderLimitBytes=" + slowReaderLimitBytes + ", slowReaderTimeout=" + slowReaderTimeout
                + (insecureLegacyCrypto == InsecureLegacyMode.OFF
                        ? "" : ", insecureLegacyCrypto=" + insecureLegacyCrypto)
                + ", maxConnections=" + maxConnections + ", maxConnectionsPerAddress=" + maxConnectionsPerAddress
                + (eventLoops == DEFAULT_EVENT_LOOPS ? "" : ", eventLoops=" + eventLoops)
                + ", pingInterval=" + pingInterval + ", idleTimeout=" + idleTimeout
                + ", maxFrameLengthBytes=" + maxFrameLengthBytes + ", rateLimit=" + rateLimit
                + ", workLimit=" + workLimit
                + ", identity=<redacted>]";
    }

    /** Builds {@link RelayOptions}; not thread-safe. */
    public static final class Builder {
        private String bindAddress = DEFAULT_BIND_ADDRESS;
        private int port = DEFAULT_PORT;
        private NoiseKeyPair identity;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private int maxClients = DEFAULT_MAX_CLIENTS;
        private int maxRoomMembers = DEFAULT_MAX_ROOM_MEMBERS;
        private int slowReaderLimitBytes = DEFAULT_SLOW_READER_LIMIT_BYTES;
        private Duration slowReaderTimeout = DEFAULT_SLOW_READER_TIMEOUT;
        private String serverInfo = "securecomm-relay";
        private RelayListener listener = RelayListener.NONE;
        private RelayMeter meter = RelayMeter.NONE;
        private InsecureLegacyMode insecureLegacyCrypto = InsecureLegacyMode.OFF;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
        private int eventLoops = DEFAULT_EVENT_LOOPS;
        private Duration pingInterval = DEFAULT_PING_INTERVAL;
        private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
        private int maxFrameLengthBytes = DEFAULT_MAX_FRAME_LENGTH_BYTES;
        private RateLimit rateLimit = RateLimit.defaults();
        private WorkLimit workLimit = WorkLimit.defaults();
        private RelayStore store;
        private RelayCluster cluster;

        private Builder() {}

        /**
         * INSECURE, for teaching only: lets the relay speak the original toy's legacy suite, which anyone on the
         * network can read and rewrite (see {@link InsecureLegacyMode}). Never enable it for real conversations.
         *
         * @param mode {@link InsecureLegacyMode#OFF} (the default), {@link InsecureLegacyMode#ALSO} or
         *     {@link InsecureLegacyMode#ONLY}
         * @return this builder
         */
        public Builder insecureLegacyCrypto(InsecureLegacyMode mode) {
            this.insecureLegacyCrypto = Objects.requireNonNull(mode, "mode");
            return this;
        }

        /**
         * Sets the address to bind.
         *
         * @param bindAddress a host name or IP literal, such as {@code 127.0.0.1}
         * @return this builder
         */
        public Builder bindAddress(String bindAddress) {
            this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
            return this;
        }

        /**
         * Sets the port; 0 asks for an ephemeral port.
         *
         * @param port 0 to 65535
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be 0 to 65535, got " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * Sets the relay's identity key pair; without it, a fresh one is generated by {@link #build()}.
         *
         * @param identity an X25519 key pair, kept open by the caller while the relay runs
         * @return this builder
         * @throws IllegalArgumentException if the key pair is not X25519
         */
        public Builder identity(NoiseKeyPair identity) {
            Objects.requireNonNull(identity, "identity");
            if (identity.dh() != NoiseDh.X25519) {
                throw new IllegalArgumentException("the relay identity must be an X25519 key pair, got "
                        + identity.dh());
            }
            this.identity = identity;
            return this;
        }

        /**
         * Sets the handshake timeout.
         *
         * @param handshakeTimeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder handshakeTimeout(Duration handshakeTimeout) {
            this.handshakeTimeout = positive(handshakeTimeout, "handshakeTimeout");
            return this;
        }

        /**
         * Sets how long a graceful close waits for the connections to close after their goodbyes.
         *
         * @param shutdownTimeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder shutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = positive(shutdownTimeout, "shutdownTimeout");
            return this;
        }

        /**
         * Sets the most clients online at once. Each admitted client also holds a connection, so the connection limit
         * ({@link #maxConnections(int)}) bounds it too.
         *
         * @param maxClients 1 to {@link RelayOptions#MAX_CLIENTS}
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder maxClients(int maxClients) {
            if (maxClients < 1 || maxClients > MAX_CLIENTS) {
                throw new IllegalArgumentException("maxClients must be 1 to " + MAX_CLIENTS + ", got " + maxClients);
            }
            this.maxClients = maxClients;
            return this;
        }

        /**
         * Sets the public room's member limit.
         *
         * @param maxRoomMembers 1 to {@code Limits.CLIENT_LIST_MAX_ENTRIES} (256): the most one {@code ClientList}
         *     and one room envelope carry
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder maxRoomMembers(int maxRoomMembers) {
            if (maxRoomMembers < 1 || maxRoomMembers > Limits.CLIENT_LIST_MAX_ENTRIES) {
                throw new IllegalArgumentException("maxRoomMembers must be 1 to "
                        + Limits.CLIENT_LIST_MAX_ENTRIES + ", got " + maxRoomMembers);
            }
            this.maxRoomMembers = maxRoomMembers;
            return this;
        }

        /**
         * Sets how many unsent bytes one client may have queued before it is disconnected as too slow.
         *
         * @param slowReaderLimitBytes at least 64 KiB (65536), so any single message fits
         * @return this builder
         * @throws IllegalArgumentException if below 65536
         */
        public Builder slowReaderLimitBytes(int slowReaderLimitBytes) {
            if (slowReaderLimitBytes < 65536) {
                throw new IllegalArgumentException("slowReaderLimitBytes must be at least 65536, got "
                        + slowReaderLimitBytes);
            }
            this.slowReaderLimitBytes = slowReaderLimitBytes;
            return this;
        }

        /**
         * Sets how long bytes may wait for one client without it taking any of them before it is disconnected as
         * too slow (default {@link #DEFAULT_SLOW_READER_TIMEOUT}).
         *
         * @param slowReaderTimeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder slowReaderTimeout(Duration slowReaderTimeout) {
            this.slowReaderTimeout = positive(slowReaderTimeout, "slowReaderTimeout");
            return this;
        }

        /**
         * Sets the text sent in the welcome.
         *
         * @param serverInfo a short description of the relay software
         * @return this builder
         */
        public Builder serverInfo(String serverInfo) {
            this.serverInfo = Objects.requireNonNull(serverInfo, "serverInfo");
            return this;
        }

        /**
         * Sets the store of accounts, published pre-keys and stored messages (docs/STORE.md): the durable
         * {@code SqliteRelayStore} of the {@code securecomm-store-sqlite} module, or any other implementation. The
         * relay borrows it and does not close it; close it after the relay.
         *
         * @param store the store
         * @return this builder
         */
        public Builder store(RelayStore store) {
            this.store = Objects.requireNonNull(store, "store");
            return this;
        }

        /**
         * Makes the relay a node of a cluster (docs/CLUSTER.md): it shares presence, the public room and live
         * routing with the other nodes through {@code cluster}, and should share its store with them too. One
         * {@link RelayCluster} per relay; the relay borrows it and does not close it: close it after the relay.
         *
         * @param cluster this node's membership of the cluster
         * @return this builder
         */
        public Builder cluster(RelayCluster cluster) {
            this.cluster = Objects.requireNonNull(cluster, "cluster");
            return this;
        }

        /**
         * Sets the listener that observes clients joining and leaving.
         *
         * @param listener the listener; its callbacks run on event loops and must not block
         * @return this builder
         */
        public Builder listener(RelayListener listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * Sets the meter that receives the relay's operational numbers, for example a Prometheus endpoint's
         * ({@code securecomm-metrics-prometheus}). It is never told who: see {@link RelayMeter}.
         *
         * @param meter the meter; its methods run on event loops and must not block
         * @return this builder
         */
        public Builder meter(RelayMeter meter) {
            this.meter = Objects.requireNonNull(meter, "meter");
            return this;
        }

        /**
         * Sets the most open TCP connections, in any state.
         *
         * @param maxConnections at least 1
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxConnections(int maxConnections) {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
            }
            this.maxConnections = maxConnections;
            return this;
        }

        /**
         * Sets the number of event loops (threads) that serve the connections. Fewer loops hand fewer messages
         * between threads: on a small machine whose traffic is mostly private messages, one loop costs the least
         * CPU per delivery, but it uses one processor at most (docs/OPERATIONS.md, "Event loops").
         *
         * @param eventLoops 1 to {@link RelayOptions#MAX_EVENT_LOOPS}, or {@link RelayOptions#DEFAULT_EVENT_LOOPS}
         *     (0) for one per available processor
         * @return this builder
         * @throws IllegalArgumentException if negative or above {@link RelayOptions#MAX_EVENT_LOOPS}
         */
        public Builder eventLoops(int eventLoops) {
            if (eventLoops < 0 || eventLoops > MAX_EVENT_LOOPS) {
                throw new IllegalArgumentException("eventLoops must be 0 (the default) to " + MAX_EVENT_LOOPS + ", got "
                        + eventLoops);
            }
            this.eventLoops = eventLoops;
            return this;
        }

        /**
         * Sets the most open connections from one IPv4 address or IPv6 /64.
         *
         * @param maxConnectionsPerAddress at least 1, and at most {@code maxConnections} (checked by {@link #build()})
         * @return this builder
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxConnectionsPerAddress(int maxConnectionsPerAddress) {
            if (maxConnectionsPerAddress < 1) {
                throw new IllegalArgumentException(
                        "maxConnectionsPerAddress must be at least 1, got " + maxConnectionsPerAddress);
            }
            this.maxConnectionsPerAddress = maxConnectionsPerAddress;
            return this;
        }

        /**
         * Sets how long a silent client waits for a {@code Ping}.
         *
         * @param pingInterval a positive duration, shorter than the idle timeout (checked by {@link #build()})
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder pingInterval(Duration pingInterval) {
            this.pingInterval = positive(pingInterval, "pingInterval");
            return this;
        }

        /**
         * Sets how long a silent client stays connected.
         *
         * @param idleTimeout a positive duration, longer than the ping interval (checked by {@link #build()})
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder idleTimeout(Duration idleTimeout) {
            this.idleTimeout = positive(idleTimeout, "idleTimeout");
            return this;
        }

        /**
         * Sets the largest frame payload accepted from a client.
         *
         * @param maxFrameLengthBytes 1 to 65535
         * @return this builder
         * @throws IllegalArgumentException if out of range
         */
        public Builder maxFrameLengthBytes(int maxFrameLengthBytes) {
            if (maxFrameLengthBytes < 1 || maxFrameLengthBytes > 65535) {
                throw new IllegalArgumentException("maxFrameLengthBytes must be 1 to 65535, got "
                        + maxFrameLengthBytes);
            }
            this.maxFrameLengthBytes = maxFrameLengthBytes;
            return this;
        }

        /**
         * Sets each client's rate limit. The relay announces the rate and the burst in every client's
         * {@code Welcome}, and a securecomm client paces its requests at the lower of that rate and its own
         * ({@code ChatClientOptions.Builder.pacing}), with at most half the burst: lowering the limit slows the
         * clients down, it does not make them refused. Requests over the limit are held, not refused
         * ({@link RateLimit}).
         *
         * @param rateLimit the rate limit
         * @return this builder
         */
        public Builder rateLimit(RateLimit rateLimit) {
            this.rateLimit = Objects.requireNonNull(rateLimit, "rateLimit");
            return this;
        }

        /**
         * Sets how much CPU each connection and each remote address may use, and how often a client may upload
         * pre-keys ({@link WorkLimit#defaults()} unless set).
         *
         * @param workLimit the work limit
         * @return this builder
         */
        public Builder workLimit(WorkLimit workLimit) {
            this.workLimit = Objects.requireNonNull(workLimit, "workLimit");
            return this;
        }

        /**
         * Builds the options.
         *
         * @return immutable options
         * @throws IllegalArgumentException if {@code maxConnectionsPerAddress} exceeds {@code maxConnections}, or
         *     the ping interval is not shorter than the idle timeout
         */
        public RelayOptions build() {
            if (maxConnectionsPerAddress > maxConnections) {
                throw new IllegalArgumentException("maxConnectionsPerAddress (" + maxConnectionsPerAddress
                        + ") must not exceed maxConnections (" + maxConnections + ")");
            }
            if (pingInterval.compareTo(idleTimeout) >= 0) {
                throw new IllegalArgumentException("pingInterval (" + pingInterval
                        + ") must be shorter than idleTimeout (" + idleTimeout + ")");
            }
            return new RelayOptions(this);
        }

        private static Duration positive(Duration d, String name) {
            Objects.requireNonNull(d, name);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, got " + d);
            }
            return d;
        }
    }
}
