package io.securecomm.internal.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.internal.client.ChatLayer;
import io.securecomm.internal.client.ClientE2e;
import io.securecomm.internal.client.ClientSession;
import io.securecomm.internal.client.NodeAttempts;
import io.securecomm.internal.client.Unreachable;
import io.securecomm.internal.client.insecure.LegacyChat;
import io.securecomm.wire.FrameDecoder;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Assembles a client: the variant its options ask for, and the pipeline of its connection, one job per handler:
 *
 * <pre>
 *   frame-decoder, frame-encoder   2-byte length framing
 *   legacy-offer-refusal           refuses a relay that offers only the INSECURE legacy suite, by name
 *   noise                          the Noise handshake (the relay's key checked by relay-key), then seal / open
 *   relay-key                      RelayKeyCheck: tells the session what the handshake established
 *   codec                          record plaintext to Message and back
 *   inbound-window                 InboundWindow: stops reading while the client's thread has too much to do
 *   client                         ClientHandler, on the client's own thread: the session's adapter
 * </pre>
 *
 * The client handler runs on the client's own thread; everything below it on the connection's event loop. The pace
 * of what the client sends is the session's ({@code internal.client.Outbound}), not a handler's: it decides which
 * messages go first. A client
 * of the INSECURE legacy suite ({@code insecureLegacyCrypto}) gets that suite's variants instead, here and nowhere
 * else ({@link #addLegacyHandshake}): the legacy handshake in the Noise slot, the legacy suite's notices in the
 * relay-key slot, and {@link LegacyChat} for the session in place of the end-to-end layer. The production classes
 * (the session, the Netty client, the handlers) know none of them.
 */
final class ClientPipeline {
    private final ChatClientOptions options;
    private final boolean legacy;
    private volatile boolean stopped;
    private volatile ClientHandler current;
    private volatile Channel currentChannel;

    ClientPipeline(ChatClientOptions options) {
        this.options = options;
        this.legacy = options.insecureLegacyCrypto();
    }

    /** What the client's session does with chat: the end-to-end layer, or the legacy suite's plaintext. */
    ChatLayer.Factory chatLayer() {
        return legacy ? LegacyChat::new : ClientE2e::new;
    }

    /** Why this client has no end-to-end identities to verify or trust, if it has none. */
    Optional<String> withoutIdentities() {
        return legacy ? Optional.of(LegacyChat.NO_IDENTITIES) : Optional.empty();
    }

    /**
     * Opens the client's connection on its own I/O thread ({@code securecomm-client-io-<nickname>}), with this
     * pipeline, trying the relay's nodes in turn ({@link NodeAttempts}): each attempt gets a new channel and a new
     * {@link ClientHandler}, and the driver learns each channel as it is made and how to stop the I/O thread. The first
     * attempt's handler hears that no node could be reached; names are resolved on the I/O thread, as Netty's own
     * resolver would.
     *
     * @param driver runs the client's session on the client's thread
     */
    void connect(ClientDriver driver) {
        EventLoopGroup io = Transports.newGroup(1, "securecomm-client-io-" + options.nickname());
        // A short quiet period lets a concurrent close() finish its last writes on the loop.
        driver.attach(null, () -> io.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS));
        NodeAttempts plan = new NodeAttempts(options.nodes(), NodeAttempts.SYSTEM);
        io.execute(() -> attempt(io, driver, plan, null));
    }

    /**
     * Stops trying further nodes: the client is closing. The attempt in progress, if any, ends with its channel, which
     * the session closes.
     */
    void stop() {
        stopped = true;
    }

    /**
     * The current attempt's channel.
     *
     * @return the channel, or {@code null} before the first attempt made one
     */
    Channel channel() {
        return currentChannel;
    }

    /**
     * The handler of the current attempt.
     *
     * @return the handler, or {@code null} before the first attempt
     */
    ClientHandler handler() {
        return current;
    }

    /**
     * One attempt, on the I/O thread: the next address, or the report that none is left. The report goes through the
     * last attempt's handler, which stops the client's threads only once its channel is gone.
     *
     * @param previous the handler of the attempt that just failed, or {@code null} for the first
     */
    private void attempt(EventLoopGroup io, ClientDriver driver, NodeAttempts plan, ClientHandler previous) {
        if (stopped) {
            if (previous != null) {
                previous.connectFailed(Unreachable.OTHER, new ClosedChannelException()); // the session was closed
            } else {
                driver.submitThenRelease(ClientSession::close); // closed before a channel came: nothing else stops them
            }
            return;
        }
        Optional<InetSocketAddress> address = plan.next();
        if (address.isEmpty()) {
            (previous != null ? previous : new ClientHandler(driver)).connectFailed(plan.why(), plan.failure());
            return;
        }
        ClientHandler handler = new ClientHandler(driver);
        ChannelFuture connecting = new Bootstrap()
                .group(io)
                .channel(Transports.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .handler(initializer(handler))
                .connect(address.get());
        current = handler;
        currentChannel = connecting.channel();
        driver.attach(connecting.channel());
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                Throwable cause = f.cause() != null ? f.cause() : new ClosedChannelException(); // cancelled
                plan.failed(Unreachable.of(cause, cause instanceof ConnectTimeoutException), cause);
                attempt(io, driver, plan, handler);
            }
        });
    }

    /**
     * The initializer of the client's connection.
     *
     * @param client the session's adapter, which runs on the client's own thread
     * @return the initializer
     */
    private ChannelInitializer<SocketChannel> initializer(ClientHandler client) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                ChannelPipeline pipeline = ch.pipeline()
                        .addLast("frame-decoder", new FrameDecoderHandler(FrameDecoder.DEFAULT_MAX_FRAME_LENGTH_BYTES))
                        .addLast("frame-encoder", FrameEncoderHandler.INSTANCE);
                if (legacy) {
                    addLegacyHandshake(pipeline);
                } else {
                    addNoiseHandshake(pipeline);
                }
                pipeline.addLast("codec", MessageCodecHandler.INSTANCE)
                        .addLast("inbound-window", client.inboundWindow())
                        .addLast(client.driver().thread(), "client", client);
            }
        };
    }

    /** Noise, with the relay's key checked by the trust store before the client reveals its own. */
    private void addNoiseHandshake(ChannelPipeline pipeline) {
        RelayKeyCheck relayKey = new RelayKeyCheck(options);
        pipeline.addLast("legacy-offer-refusal", new LegacyOfferRefusal(options.relayAddress()))
                .addLast("noise", new NoiseHandler(true, options.identity(), options.handshakeTimeout(), relayKey))
                .addLast("relay-key", relayKey);
    }

    /**
     * The INSECURE legacy suite's handshake and transport in the slot of Noise (with no refusal of legacy offers
     * before it), and the legacy suite's notices in the relay-key slot.
     */
    private void addLegacyHandshake(ChannelPipeline pipeline) {
        pipeline.addLast("legacy", LegacyHandler.forClient())
                .addLast("relay-key", new LegacyClientNotices(options.relayAddress()));
    }
}
