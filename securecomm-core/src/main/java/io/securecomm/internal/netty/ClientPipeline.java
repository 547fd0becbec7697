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
import io.securecomm.internal.client.Unreachable;
import io.securecomm.internal.client.insecure.LegacyChat;
import io.securecomm.wire.FrameDecoder;
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
     * pipeline; the driver learns the channel and how to stop that thread, and the handler hears of a failure.
     *
     * @param client the session's adapter
     * @return the channel, connecting
     */
    Channel connect(ClientHandler client) {
        EventLoopGroup io = Transports.newGroup(1, "securecomm-client-io-" + options.nickname());
        ChannelFuture connecting = new Bootstrap()
                .group(io)
                .channel(Transports.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .handler(initializer(client))
                .connect(options.host(), options.port());
        // A short quiet period lets a concurrent close() finish its last writes on the loop.
        client.driver().attach(connecting.channel(), () -> io.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS));
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                Throwable cause = f.cause();
                client.connectFailed(Unreachable.of(cause, cause instanceof ConnectTimeoutException), cause);
            }
        });
        return connecting.channel();
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
