package io.securecomm.client;

import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.ProtocolStore;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.wire.Limits;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Immutable configuration of a {@link ChatClient}, built with {@link #builder(String, int)} or
 * {@link #builder(InetSocketAddress)} (an embedded relay's {@code localAddress()} as it is).
 *
 * <pre>{@code
 * ChatClientOptions options = ChatClientOptions.builder("relay.example", 8080)
 *         .nickname("alice")
 *         .protocolStore(FileProtocolStore.open(folder, random))   // default: a fresh identity in memory
 *         .trustStore(RelayTrustStore.knownKey(relayKey))           // required: how to trust the relay
 *         .build();
 * }</pre>
 *
 * <p>The client's identity is the {@link IdentityKeyPair} of its {@link ProtocolStore}: its X25519 key is
 * also the client's Noise static key, so the key the relay authenticates in the handshake is the key the
 * end-to-end identity binds. A store that persists (a {@code FileProtocolStore}) keeps the identity,
 * trusted peers and sessions across runs; the default in-memory store forgets them when the client ends.
 *
 * <p>How to trust the relay's key has no default: {@link Builder#build()} refuses options without a
 * {@link RelayTrustStore}, so that no application trusts whatever relay answers first by accident.
 *
 * <p>Mistakes are caught here, at once and unchecked: the builder refuses a nickname the relay's rule refuses
 * ({@link IllegalArgumentException}) and {@code build()} refuses options without a nickname or a trust store
 * ({@link IllegalStateException}). What only the relay can decide (the nickname is taken, the relay is full) fails
 * {@link ChatClient#connect()}'s future instead.
 *
 * <p>Not a record: it holds the client's keys, secrets; {@link #toString()} omits them. The options do not
 * close the store.
 */
public final class ChatClientOptions {
    /** What a client of the INSECURE legacy suite built without a trust store has: it never authenticates a relay. */
    private static final RelayTrustStore NO_RELAY_AUTHENTICATION = (relay, key) -> {
        throw new IllegalStateException("a client of the INSECURE legacy suite authenticates no relay");
    };

    /** The default time to establish the TCP connection. */
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The default time to complete the handshake and be admitted. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** The default time the relay has to answer a send or a list request. */
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    /**
     * The default pace of the client's requests, per second: half a default relay's rate limit
     * ({@code io.securecomm.relay.RateLimit.DEFAULT_MESSAGES_PER_SECOND}). The relay measures when it reads a
     * request, not when the client sent it: a relay that falls behind under load reads a backlog at once, and
     * only a bucket with room to spare absorbs it. Half the rate lets the relay's bucket refill while the client
     * sends flat out, so a backlog of up to four seconds still fits in the relay's burst. A relay that announces a
     * lower limit in its welcome lowers the pace further (see {@link Builder#pacing(int, int)}).
     */
    public static final int DEFAULT_REQUESTS_PER_SECOND = 10;
    /** The default burst of the client's requests: half a default relay's ({@code DEFAULT_BURST_MESSAGES}). */
    public static final int DEFAULT_REQUEST_BURST = 20;

    private final String host;
    private final int port;
    private final List<InetSocketAddress> nodes;
    private final String nickname;
    private final ProtocolStore protocolStore;
    private final NoiseKeyPair identity;
    private final RelayTrustStore trustStore;
    private final Clock clock;
    private final Duration connectTimeout;
    private final Duration handshakeTimeout;
    private final Duration requestTimeout;
    private final int requestsPerSecond;
    private final int requestBurst;
    private final boolean insecureLegacyCrypto;
    private final RoomPolicy roomPolicy;

    private ChatClientOptions(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.nodes = List.copyOf(b.nodes);
        this.nickname = b.nickname;
        this.protocolStore = b.protocolStore != null ? b.protocolStore
                : new InMemoryProtocolStore(IdentityKeyPair.generate(new SecureRandom()));
        this.identity = protocolStore.identityKeyPair().noiseStaticKeyPair();
        this.clock = b.clock;
        this.trustStore = b.trustStore != null ? b.trustStore : NO_RELAY_AUTHENTICATION;
        this.connectTimeout = b.connectTimeout;
        this.handshakeTimeout = b.handshakeTimeout;
        this.requestTimeout = b.requestTimeout;
        this.requestsPerSecond = b.requestsPerSecond;
        this.requestBurst = b.requestBurst;
        this.insecureLegacyCrypto = b.insecureLegacyCrypto;
        this.roomPolicy = b.roomPolicy;
    }

    /**
     * Who gets this client's room key.
     *
     * @return the policy; {@link RoomPolicy#EVERYONE} unless {@link Builder#roomPolicy(RoomPolicy)} said otherwise
     */
    public RoomPolicy roomPolicy() {
        return roomPolicy;
    }

    /**
     * Starts a builder for a relay address.
     *
     * @param host the relay's host name or IP literal
     * @param port the relay's port, 1 to 65535
     * @return a new builder
     * @throws IllegalArgumentException if the port is out of range or the host is empty
     */
    public static Builder builder(String host, int port) {
        return new Builder(host, port);
    }

    /**
     * Starts a builder for a relay address, such as an embedded relay's {@code RelayServer.localAddress()}. The
     * address's host string is used as it is (no reverse lookup): {@code 127.0.0.1} stays {@code 127.0.0.1}, which
     * is also the name the relay's key is pinned under.
     *
     * @param relay the relay's address
     * @return a new builder
     * @throws IllegalArgumentException if the port is 0
     */
    public static Builder builder(InetSocketAddress relay) {
        Objects.requireNonNull(relay, "relay");
        return new Builder(relay.getHostString(), relay.getPort());
    }

    /**
     * The relay's host: the first of its {@linkplain #nodes() nodes}.
     *
     * @return the host name or IP literal
     */
    public String host() {
        return host;
    }

    /**
     * The relay's port: the first of its {@linkplain #nodes() nodes}'.
     *
     * @return 1 to 65535
     */
    public int port() {
        return port;
    }

    /**
     * The relay's name, under which its key is pinned and which messages about it show: {@code host:port}, or for a
     * relay of several nodes ({@link Builder#alsoTry(String, int)}) every node's {@code host:port} in order, joined
     * by commas. Every node of one relay presents the one relay key, so the key pinned for the name holds whichever
     * node answers.
     *
     * @return {@code host:port[,host:port...]}
     */
    public String relayAddress() {
        StringBuilder name = new StringBuilder();
        for (InetSocketAddress node : nodes) {
            if (name.length() > 0) {
                name.append(',');
            }
            name.append(node.getHostString()).append(':').append(node.getPort());
        }
        return name.toString();
    }

    /**
     * The relay's nodes in the order {@link ChatClient#connect()} tries them: the builder's address first, then each
     * {@link Builder#alsoTry(String, int)} in the order added. The addresses are unresolved; at connect time each
     * name is resolved, and each of its addresses is tried in turn.
     *
     * @return the nodes, unresolved, at least one; immutable
     */
    public List<InetSocketAddress> nodes() {
        return nodes;
    }

    /**
     * The nickname to ask for.
     *
     * @return the nickname
     */
    public String nickname() {
        return nickname;
    }

    /**
     * The client's Noise static key pair: the X25519 half of the store's identity.
     *
     * @return the key pair (not a copy)
     */
    public NoiseKeyPair identity() {
        return identity;
    }

    /**
     * The client's end-to-end store: identity, trusted peers, pre-keys and sessions.
     *
     * @return the store (not a copy)
     */
    public ProtocolStore protocolStore() {
        return protocolStore;
    }

    /**
     * The clock of every deadline the client keeps: request timeouts, the handshake-and-welcome deadline, how long
     * room messages wait for their sender's key, and signed pre-key rotation. (The TCP connect timeout and the Noise
     * handshake's own timeout are the network's, on the wall clock.)
     *
     * @return the clock; the system clock by default
     */
    public Clock clock() {
        return clock;
    }

    /**
     * Decides whether to trust the relay's identity key.
     *
     * @return the trust store the builder was given; for a client of the INSECURE legacy suite built without one,
     *     a store that is never consulted and refuses everything (the legacy suite authenticates no relay)
     */
    public RelayTrustStore trustStore() {
        return trustStore;
    }

    /**
     * How long to wait for the TCP connection.
     *
     * @return a positive duration
     */
    public Duration connectTimeout() {
        return connectTimeout;
    }

    /**
     * How long to wait for the handshake and the relay's welcome.
     *
     * @return a positive duration
     */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * How long the relay has to answer a send or a list request before its future fails with
     * {@link RelayTimeoutException}.
     *
     * @return a positive duration
     */
    public Duration requestTimeout() {
        return requestTimeout;
    }

    /**
     * The most requests per second the client sends to the relay, on average (see
     * {@link Builder#pacing(int, int)}); a relay that announces a lower limit gets its own.
     *
     * @return 1 to 1,000,000
     */
    public int requestsPerSecond() {
        return requestsPerSecond;
    }

    /**
     * The most requests the client sends to the relay at once, after a quiet period.
     *
     * @return 1 to 1,000,000
     */
    public int requestBurst() {
        return requestBurst;
    }

    /**
     * Whether the client speaks the INSECURE legacy suite instead of Noise, for teaching.
     *
     * @return {@code false} unless {@link Builder#insecureLegacyCrypto(boolean)} said otherwise
     */
    public boolean insecureLegacyCrypto() {
        return insecureLegacyCrypto;
    }

    @Override
    public String toString() {
        return "ChatClientOptions[relay=" + relayAddress() + ", nickname=" + nickname + ", connectTimeout="
                + connectTimeout + ", handshakeTimeout=" + handshakeTimeout + ", requestTimeout=" + requestTimeout
                + ", pacing=" + requestsPerSecond + "/s (burst " + requestBurst + ")"
                + (insecureLegacyCrypto ? ", insecureLegacyCrypto=true" : "") + ", identity=<redacted>]";
    }

    /** Builds {@link ChatClientOptions}; not thread-safe. */
    public static final class Builder {
        private final String host;
        private final int port;
        private final List<InetSocketAddress> nodes = new ArrayList<>();
        private String nickname;
        private ProtocolStore protocolStore;
        private RelayTrustStore trustStore;
        private Clock clock = Clock.systemUTC();
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
        private int requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND;
        private int requestBurst = DEFAULT_REQUEST_BURST;
        private boolean insecureLegacyCrypto;
        private RoomPolicy roomPolicy = RoomPolicy.EVERYONE;

        private Builder(String host, int port) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be empty");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1 to 65535, got " + port);
            }
            this.host = host;
            this.port = port;
            nodes.add(InetSocketAddress.createUnresolved(host, port));
        }

        /**
         * Adds another node of the same relay (a relay cluster's nodes share one relay key).
         * {@link ChatClient#connect()} tries the nodes in the order given, each address a node's name resolves to in
         * turn, and moves on to the next when one refuses the connection, does not answer within the
         * {@linkplain #connectTimeout connect timeout} or does not resolve. A node that answers decides the attempt: a
         * handshake, a relay key that does not match, a refused nickname or a full relay end it there, without trying
         * the others. The relay's key is pinned under the whole list ({@link ChatClientOptions#relayAddress()}).
         *
         * @param host the node's host name or IP literal
         * @param port the node's port, 1 to 65535
         * @return this builder
         * @throws IllegalArgumentException if the port is out of range or the host is empty
         */
        public Builder alsoTry(String host, int port) {
            Objects.requireNonNull(host, "host");
            if (host.isBlank()) {
                throw new IllegalArgumentException("host must not be empty");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port must be 1 to 65535, got " + port);
            }
            nodes.add(InetSocketAddress.createUnresolved(host, port));
            return this;
        }

        /**
         * Sets the nickname to ask for (required), checked here with the rule the relay applies
         * ({@code io.securecomm.wire.Limits.isValidNickname}): 1 to 24 ASCII letters, digits, {@code _ - .}, not
         * digits only. What only the relay knows (another online client holds it, in any letter case, or one that
         * looks like it) fails {@link ChatClient#connect()} with {@link NicknameRejectedException}. Peers know this
         * client by the canonical form ({@code io.securecomm.wire.Nickname}); the spelling is kept for display.
         *
         * @param nickname the nickname
         * @return this builder
         * @throws IllegalArgumentException if the relay's rule refuses it; the message says why
         */
        public Builder nickname(String nickname) {
            Objects.requireNonNull(nickname, "nickname");
            String problem = Limits.nicknameProblem(nickname);
            if (problem != null) {
                throw new IllegalArgumentException("invalid nickname: " + problem);
            }
            this.nickname = nickname;
            return this;
        }

        /**
         * Sets the end-to-end store, which holds the client's identity; without it, {@link #build()} makes
         * an in-memory store with a fresh identity. Use one store per nickname and at most one running
         * client per store.
         *
         * @param protocolStore the store, kept open by the caller while the client runs
         * @return this builder
         */
        public Builder protocolStore(ProtocolStore protocolStore) {
            this.protocolStore = Objects.requireNonNull(protocolStore, "protocolStore");
            return this;
        }

        /**
         * Sets the clock of the client's deadlines (for tests: a clock that moves only when the test moves it makes
         * timeouts and expiries happen without waiting); the default is the system clock.
         *
         * @param clock the clock
         * @return this builder
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * Sets how the relay's key is trusted (required): {@link RelayTrustStore#knownKey(byte[])} for a key the
         * application has, {@link RelayTrustStore#knownRelaysFile(java.nio.file.Path)} for ssh-style pins that
         * persist, or, explicitly, {@link RelayTrustStore#trustOnFirstUseInMemory()}.
         *
         * @param trustStore the store
         * @return this builder
         */
        public Builder trustStore(RelayTrustStore trustStore) {
            this.trustStore = Objects.requireNonNull(trustStore, "trustStore");
            return this;
        }

        /**
         * Sets the TCP connect timeout.
         *
         * @param connectTimeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout, "connectTimeout");
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
         * Sets how long the relay has to answer each request.
         *
         * @param requestTimeout a positive duration
         * @return this builder
         * @throws IllegalArgumentException if not positive
         */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = positive(requestTimeout, "requestTimeout");
            return this;
        }

        /**
         * Sets the client's pace: it holds its requests (messages, end-to-end key set-up, list requests, keep-alive
         * replies) and sends them no faster than a token bucket of this rate and burst allows, so that it stays
         * under the relay's rate limit. End-to-end encryption makes bursts: a member joining makes every member
         * send it a room key (a bundle request and an envelope), and a room of N members joining at once N of
         * them. Chat goes first: held key set-ups are sent in the gaps, and never take the last half of the burst,
         * which is kept for chat, so they do not delay a message sent under the pace.
         *
         * <p>How it relates to the relay's limit ({@code RelayOptions.Builder.rateLimit}): the relay announces its
         * rate and burst in its welcome, and the client paces at the lower of the two rates, with at most half the
         * relay's burst, so a default client stays under any relay's limit without configuration. The defaults
         * (half a default relay's rate) leave room for a relay that reads a backlog late. A relay holds what
         * exceeds its limit rather than refusing it, so a faster pace only makes the relay read later. Time spent
         * waiting for the pace does not count towards {@link #requestTimeout(Duration)}, which starts when the
         * request leaves.
         *
         * @param requestsPerSecond the sustained rate, 1 to 1,000,000
         * @param burst the most requests sent at once after a quiet period, 1 to 1,000,000
         * @return this builder
         * @throws IllegalArgumentException if a value is out of range
         */
        public Builder pacing(int requestsPerSecond, int burst) {
            if (requestsPerSecond < 1 || requestsPerSecond > 1_000_000 || burst < 1 || burst > 1_000_000) {
                throw new IllegalArgumentException("pacing must be 1 to 1,000,000 requests per second with a burst"
                        + " of 1 to 1,000,000, got " + requestsPerSecond + "/s and " + burst);
            }
            this.requestsPerSecond = requestsPerSecond;
            this.requestBurst = burst;
            return this;
        }

        /**
         * INSECURE, for teaching only: makes the client speak the original toy's legacy suite (unauthenticated
         * 32-bit Diffie-Hellman, repeating-key XOR, no integrity) instead of Noise. Anyone on the network can read
         * and rewrite the conversation, and the relay's identity is not checked or pinned. Only a relay started
         * with the legacy suite enabled accepts it. Off by default.
         *
         * @param enabled {@code true} to use the legacy suite
         * @return this builder
         */
        public Builder insecureLegacyCrypto(boolean enabled) {
            this.insecureLegacyCrypto = enabled;
            return this;
        }

        /**
         * Sets who gets this client's room key (docs/SECURITY.md, "The room").
         *
         * @param roomPolicy the policy; {@link RoomPolicy#EVERYONE} by default
         * @return this builder
         */
        public Builder roomPolicy(RoomPolicy roomPolicy) {
            this.roomPolicy = Objects.requireNonNull(roomPolicy, "roomPolicy");
            return this;
        }

        /**
         * Builds the options.
         *
         * @return immutable options
         * @throws IllegalStateException if no {@link #nickname(String)} was set, or no
         *     {@link #trustStore(RelayTrustStore)} (only a client of the INSECURE legacy suite, which authenticates no
         *     relay, goes without)
         */
        public ChatClientOptions build() {
            if (nickname == null) {
                throw new IllegalStateException("choose this client's nickname: nickname(\"alice\")");
            }
            if (trustStore == null && !insecureLegacyCrypto) {
                throw new IllegalStateException("choose how this client trusts the relay's key: trustStore("
                        + "RelayTrustStore.knownKey(key)), RelayTrustStore.knownRelaysFile(path), or explicitly"
                        + " RelayTrustStore.trustOnFirstUseInMemory()");
            }
            return new ChatClientOptions(this);
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
