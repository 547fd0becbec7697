package io.securecomm.internal.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.socket.SocketChannel;
import io.securecomm.internal.limits.AddressBuckets;
import io.securecomm.internal.limits.ConnectionLimiter;
import io.securecomm.internal.relay.ProtocolExtension;
import io.securecomm.internal.relay.RelayState;
import io.securecomm.internal.relay.insecure.LegacyPlaintextChat;
import io.securecomm.relay.InsecureLegacyMode;
import io.securecomm.relay.RelayMeter;
import io.securecomm.relay.RelayOptions;
import java.util.function.Consumer;

/**
 * Assembles the pipeline of every relay connection, one job per handler:
 *
 * <pre>
 *   socket -&gt; frame-decoder -&gt; noise -&gt; codec -&gt; work-limit -&gt; keep-alive -&gt; slow-reader -&gt; relay
 *          &lt;- frame-encoder &lt;-         &lt;-       &lt;-
 * </pre>
 *
 * A relay that also speaks the INSECURE legacy suite puts a {@link SuiteSelector} before {@code noise}; when a
 * connection's first frame chooses that suite, {@link #useLegacySuite} swaps in the legacy variants of the
 * handshake and of the relay's protocol. A relay with a {@link RelayMeter} also gets {@code traffic-meter} first
 * (bytes on the socket) and {@code handshake-meter} right after {@code noise} (how the handshake ended; it
 * removes itself once the handshake completed). Sharable: the relay's one child handler.
 */
final class RelayPipeline extends ChannelInitializer<SocketChannel> {
    private final RelayState<Channel> relay;
    private final ConnectionLimiter connections;
    private final AddressBuckets addresses;
    private final ChannelGroup channels;
    private final Consumer<ChannelPipeline> hookForTesting;
    private final RelayMeterHandlers.Traffic traffic;

    RelayPipeline(RelayState<Channel> relay, ConnectionLimiter connections, ChannelGroup channels,
            Consumer<ChannelPipeline> hookForTesting) {
        this.relay = relay;
        this.connections = connections;
        this.addresses = new AddressBuckets(relay.options().workLimit());
        this.channels = channels;
        this.hookForTesting = hookForTesting;
        this.traffic = relay.meter() == RelayMeter.NONE ? null : new RelayMeterHandlers.Traffic(relay.meter());
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        RelayMeter meter = relay.meter();
        ConnectionLimiter.Permit permit = connections.tryAcquire(ch.remoteAddress().getAddress());
        if (!permit.admitted()) {
            // Before any handshake there is no channel to explain on: close at once, having spent nothing on it.
            meter.connectionRefused(permit.outcome() == ConnectionLimiter.Outcome.TOO_MANY_CONNECTIONS
                    ? RelayMeter.ConnectionRefusal.MAX_CONNECTIONS
                    : RelayMeter.ConnectionRefusal.MAX_CONNECTIONS_PER_ADDRESS);
            NettyRelayServer.LOG.log(System.Logger.Level.DEBUG, "connection refused: {0}", permit.outcome());
            ch.close();
            return;
        }
        long acceptedAtNanos = EventLoopTime.nanoTime(ch.eventLoop());
        AddressBuckets.Lease address = addresses.acquire(ch.remoteAddress().getAddress(), ch.eventLoop(),
                acceptedAtNanos);
        meter.connectionOpened();
        ch.closeFuture().addListener(f -> {
            permit.close();
            address.close();
            meter.connectionClosed();
        });
        channels.add(ch);
        RelayOptions options = relay.options();
        // Other connections' writes to this one wait fairly, per sending address, beside the channel's outbound
        // buffer; this connection's own writes to others count as its address's.
        FairOutbound.attach(ch, options.slowReaderLimitBytes(), address.key());
        ch.pipeline()
                .addLast("frame-decoder", new FrameDecoderHandler(options.maxFrameLengthBytes()))
                .addLast("frame-encoder", FrameEncoderHandler.INSTANCE)
                .addLast("noise", new NoiseHandler(false, options.identity(), options.handshakeTimeout(),
                        NoiseHandler.RemoteStaticCheck.ACCEPT_ALL))
                .addLast("codec", MessageCodecHandler.INSTANCE)
                // Work limit first: every message a client sends, a Pong included, costs a request token and its
                // modelled work, so no message type can be flooded for free.
                .addLast("work-limit", new WorkLimitHandler(options.rateLimit(), options.workLimit(), relay.costs(),
                        address.bucket(), address::sharersOnLoop))
                .addLast("keep-alive", new KeepAliveHandler(options.pingInterval(), options.idleTimeout()))
                .addLast("slow-reader", new SlowReaderHandler(options.slowReaderLimitBytes(),
                        options.slowReaderTimeout()))
                .addLast("relay", new RelayHandler(relay, ProtocolExtension.NONE, relay.clock().instant()));
        if (traffic != null) {
            // Only with a meter: a relay nobody measures pays nothing for it.
            ch.pipeline().addFirst("traffic-meter", traffic)
                    .addAfter("noise", "handshake-meter", new RelayMeterHandlers.Handshake(meter, acceptedAtNanos,
                            options.handshakeTimeout()));
        }
        if (options.insecureLegacyCrypto() != InsecureLegacyMode.OFF) {
            // Only on explicit request: by default no handler can select the legacy suite.
            ch.pipeline().addBefore("noise", "suite-selector", new SuiteSelector(options.insecureLegacyCrypto(),
                    options.listener(), RelayPipeline::useLegacySuite));
        }
        hookForTesting.accept(ch.pipeline());
        if (relay.isShuttingDown()) {
            ch.close();
        }
    }

    /**
     * Turns a connection's pipeline into the INSECURE legacy suite's, before its handshake: the legacy handshake
     * and transport in the slot of Noise, and the relay's protocol with the legacy suite's plaintext chat.
     *
     * @param pipeline the pipeline {@link #initChannel} assembled
     */
    static void useLegacySuite(ChannelPipeline pipeline) {
        pipeline.replace("noise", "legacy", LegacyHandler.forRelay());
        RelayHandler relay = (RelayHandler) pipeline.get("relay");
        pipeline.replace(relay, "relay", relay.withExtension(LegacyPlaintextChat.INSTANCE));
    }

    /**
     * The relay's server bootstrap: its accept and worker groups, the socket options, and this pipeline for every
     * connection.
     *
     * @param boss the acceptor's group
     * @param workers the connections' group
     * @param options the relay's configuration (its slow-reader limit sets the write-buffer marks)
     * @param pipeline the child handler
     * @return the bootstrap, not bound
     */
    static ServerBootstrap bootstrap(EventLoopGroup boss, EventLoopGroup workers, RelayOptions options,
            RelayPipeline pipeline) {
        return new ServerBootstrap()
                .group(boss, workers)
                .channel(Transports.serverChannel())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // A fixed socket send buffer: what the kernel holds for a client is one more first-come queue in
                // front of its FairOutbound, which autotuning grew to megabytes for a client that fell behind.
                .childOption(ChannelOption.SO_SNDBUF, FairOutbound.SOCKET_SEND_BUFFER_BYTES)
                // Back-pressure: a client's queue may reach slowReaderLimitBytes, then SlowReaderHandler
                // disconnects it. The low mark only matters for isWritable() while the goodbye is pending.
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                        options.slowReaderLimitBytes() / 2, options.slowReaderLimitBytes()))
                .childHandler(pipeline);
    }
}
