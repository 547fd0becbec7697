package io.securecomm.internal.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.securecomm.internal.limits.ConnectionLimiter;
import io.securecomm.internal.noise.HopCipher;
import io.securecomm.internal.relay.ClusterInbound;
import io.securecomm.internal.relay.RelayState;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.RelayServer;
import io.securecomm.relay.cluster.ClusterHealth;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The Netty implementation of {@link RelayServer}: one acceptor thread, which also runs out the relay's deadlines
 * that belong to no one connection ({@link RelayDeadlinesTimer}), and a worker group (twice the cores) on which each
 * connection stays on one event loop for its whole life. Its connections' pipelines are
 * assembled by {@link RelayPipeline}, and what the relay decides lives in their sessions
 * ({@code internal.relay.RelaySession}). Thread-safe.
 */
public final class NettyRelayServer implements RelayServer {
    /**
     * The relay's log, for operators: its lifecycle, never message content, key material, nicknames or addresses.
     * Routed wherever the application routes {@link System.Logger} (java.util.logging by default).
     */
    static final System.Logger LOG = System.getLogger("io.securecomm.relay");
    private final RelayOptions options;

    private final RelayState<Channel> state;
    private final ConnectionLimiter connections;
    private final ChannelGroup channels = new DefaultChannelGroup("securecomm-relay", GlobalEventExecutor.INSTANCE);
    private final Consumer<ChannelPipeline> pipelineHook;
    private final byte[] identityPublicKey;
    private final Object lifecycle = new Object();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel serverChannel;
    /** Set once bound, cleared when the close begins; read without the lock by {@link #isAccepting()}. */
    private volatile boolean accepting;
    private boolean started;
    private boolean closed;
    /** Opens once {@link #close()} has stopped the threads. */
    private final CountDownLatch terminated = new CountDownLatch(1);

    /**
     * Creates the relay; nothing is bound until {@link #start()}.
     *
     * @param options the configuration
     */
    public NettyRelayServer(RelayOptions options) {
        this(options, pipeline -> { });
    }

    /**
     * Creates a relay whose every connection pipeline is handed to a hook once it is built, so that a test
     * can insert handlers: a recorder of the record plaintexts the relay parses, or a hostile interceptor
     * that tampers with what the relay forwards. Never use it outside tests.
     *
     * @param options the configuration
     * @param pipelineHookForTesting called on each new connection's event loop with its complete pipeline
     *     (handler names {@code frame-decoder}, {@code frame-encoder}, {@code noise}, {@code codec},
     *     {@code relay})
     * @return a relay; nothing is bound until {@link #start()}
     */
    public static NettyRelayServer withPipelineHookForTesting(RelayOptions options,
            Consumer<ChannelPipeline> pipelineHookForTesting) {
        return new NettyRelayServer(options, Objects.requireNonNull(pipelineHookForTesting, "pipelineHookForTesting"));
    }

    private NettyRelayServer(RelayOptions options, Consumer<ChannelPipeline> pipelineHook) {
        this.options = Objects.requireNonNull(options, "options");
        this.pipelineHook = pipelineHook;
        this.state = new RelayState<>(options, Clock.systemUTC());
        this.connections = new ConnectionLimiter(options.maxConnections(), options.maxConnectionsPerAddress());
        this.identityPublicKey = options.identity().publicKey();
    }

    @Override
    public RelayServer start() throws IOException {
        // A hop cipher nobody can name stops the start here, rather than failing every connection later.
        HopCipher.configured();
        synchronized (lifecycle) {
            if (started || closed) {
                throw new IllegalStateException(closed ? "the relay was closed" : "the relay was already started");
            }
            started = true;
            boss = Transports.newGroup(1, "securecomm-relay-accept");
            workers = Transports.newGroup(eventLoops(options), "securecomm-relay-io");
            ServerBootstrap bootstrap = RelayPipeline.bootstrap(boss, workers, options,
                    new RelayPipeline(state, connections, channels, pipelineHook));
            ChannelFuture bound = bootstrap.bind(options.bindAddress(), options.port()).awaitUninterruptibly();
            if (!bound.isSuccess()) {
                shutDownGroups();
                Throwable cause = bound.cause();
                throw new IOException("cannot listen on " + options.bindAddress() + ":" + options.port() + ": "
                        + cause.getMessage(), cause);
            }
            serverChannel = bound.channel();
            // Before the first client: the cluster calls' deadlines run out on the accepting loop, and the other
            // nodes' messages and presence reach this node's sessions.
            new RelayDeadlinesTimer(state.deadlines(), state.clock(), boss.next()).start();
            state.cluster().attach(new ClusterInbound<>(state));
            accepting = true;
            LOG.log(System.Logger.Level.INFO, "relay listening on {0} ({1} transport, at most {2} clients and {3}"
                    + " connections)", serverChannel.localAddress(), Transports.name(), options.maxClients(),
                    options.maxConnections());
            return this;
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        synchronized (lifecycle) {
            if (serverChannel == null) {
                throw new IllegalStateException("the relay is not started");
            }
            return (InetSocketAddress) serverChannel.localAddress();
        }
    }

    @Override
    public byte[] identityPublicKey() {
        return identityPublicKey.clone();
    }

    @Override
    public boolean isAccepting() {
        return accepting && !state.isShuttingDown();
    }

    @Override
    public ClusterHealth clusterHealth() {
        try {
            return state.cluster().health();
        } catch (RuntimeException e) {
            return ClusterHealth.unreachable("the cluster's health check failed: " + e);
        }
    }

    @Override
    public int onlineClients() {
        return state.registry().size();
    }

    /**
     * Counts the open connections, in any state; for tests of the connection limits.
     *
     * @return the connections holding a place
     */
    public int openConnections() {
        return connections.connections();
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            accepting = false;
            state.beginShutdown();
            if (serverChannel == null) {
                shutDownGroups();
                terminated.countDown();
                return;
            }
            RelayShutdown.sayGoodbye(serverChannel, channels, state.registry()::size, options.shutdownTimeout());
            shutDownGroups();
            LOG.log(System.Logger.Level.INFO, "relay stopped");
            terminated.countDown();
        }
    }

    @Override
    public void awaitClose() throws InterruptedException {
        requireStarted();
        terminated.await();
    }

    @Override
    public boolean awaitClose(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        requireStarted();
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /**
     * The number of event loops: the option, or by default the system property {@code io.netty.eventLoopThreads}
     * where set, else one per available processor. Netty's own default is twice that; on the private mix a message
     * between two loops and its outcome back cost more than the second loop per core brings (issue 18,
     * docs/BENCHMARKS.md).
     */
    static int eventLoops(RelayOptions options) {
        if (options.eventLoops() != RelayOptions.DEFAULT_EVENT_LOOPS) {
            return options.eventLoops();
        }
        int property = Integer.getInteger("io.netty.eventLoopThreads", 0);
        return property > 0 ? Math.min(property, RelayOptions.MAX_EVENT_LOOPS)
                : Runtime.getRuntime().availableProcessors();
    }

    private void requireStarted() {
        synchronized (lifecycle) {
            if (!started && !closed) {
                throw new IllegalStateException("the relay was never started, so nothing would ever close it");
            }
        }
    }

    private void shutDownGroups() {
        if (boss != null) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return "NettyRelayServer[" + (serverChannel == null ? "not started" : serverChannel.localAddress())
                + ", transport=" + Transports.name() + "]";
    }

    /**
     * How {@link RelayServer#create} finds this implementation: named in securecomm-core's module descriptor and in
     * its {@code META-INF/services} entry. Not for direct use.
     */
    public static final class Provider implements RelayServer.Provider {
        /** Creates the provider; the service loader calls this. */
        public Provider() {}

        @Override
        public RelayServer create(RelayOptions options) {
            return new NettyRelayServer(options);
        }
    }
}
