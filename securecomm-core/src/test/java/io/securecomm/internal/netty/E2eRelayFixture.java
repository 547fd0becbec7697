package io.securecomm.internal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.ProtocolStore;
import io.securecomm.relay.RateLimit;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.store.InMemoryRelayStore;
import io.securecomm.wire.MalformedMessageException;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageCodec;
import io.securecomm.wire.Nickname;
import io.securecomm.wire.Welcome;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A real relay on 127.0.0.1 with two test hooks in every connection's pipeline: a recorder of every record
 * plaintext the relay parses or writes (between the Noise handler and the codec: exactly the message layer the
 * relay sees), and a hostile interceptor between the codec and the relay logic that may rewrite, drop, repeat
 * or hold what a client sends to the relay ({@link #inbound}) and what the relay sends to a client
 * ({@link #outbound}).
 */
final class E2eRelayFixture implements AutoCloseable {
    /** Every record plaintext the relay read or wrote, in order. */
    final List<byte[]> plaintexts = Collections.synchronizedList(new ArrayList<>());
    /** Rewrites each message a client sends, before the relay logic sees it; identity by default. */
    volatile Function<Message, List<Message>> inbound = List::of;
    /** Rewrites each message the relay writes to a client; identity by default. */
    volatile Function<Message, List<Message>> outbound = List::of;
    /** If set, used instead of {@link #outbound}, with the recipient's client id (0 before its Welcome). */
    volatile BiFunction<Integer, Message, List<Message>> outboundTo;

    final NettyRelayServer relay;
    /** The relay's store, so a test can release an account as its operator would (#16). */
    final InMemoryRelayStore store = new InMemoryRelayStore();
    /** The hostile handler's context of each welcomed client's connection, by client id. */
    private final Map<Integer, ChannelHandlerContext> connections = new ConcurrentHashMap<>();
    private final List<ChatClient> clients = new ArrayList<>();

    E2eRelayFixture() throws Exception {
        // A rate far above what the tests send: a client whose clock a test holds still (a MutableClock) paces on
        // that clock, and its tokens would never refill.
        relay = NettyRelayServer.withPipelineHookForTesting(RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                .rateLimit(new RateLimit(100_000, 100_000, 100, Duration.ofSeconds(10)))
                .store(store).shutdownTimeout(Duration.ofSeconds(5)).build(), pipeline -> {
                    pipeline.addBefore("codec", "recorder", new Recorder());
                    pipeline.addBefore("relay", "hostile", new Hostile());
                });
        relay.start();
    }

    /**
     * Releases an account as the relay's operator does: a new identity may then take the nickname (#16).
     *
     * @param nickname the account's nickname
     */
    void releaseAccount(String nickname) {
        store.accounts().releaseByOperator(Nickname.canonical(nickname)).toCompletableFuture()
                .join();
    }

    ChatClient client(String nickname, E2eEvents events) throws Exception {
        return client(nickname, new InMemoryProtocolStore(IdentityKeyPair.generate(new SecureRandom())), events);
    }

    ChatClient client(String nickname, ProtocolStore store, E2eEvents events) throws Exception {
        return client(nickname, store, Clock.systemUTC(), events);
    }

    ChatClient client(String nickname, ProtocolStore store, Clock clock, E2eEvents events)
            throws Exception {
        // The pace follows the client's clock; one a test holds still would never give it a token again.
        return client(nickname, events, b -> b.protocolStore(store).clock(clock).pacing(100_000, 100_000));
    }

    /** A client with options of the test's choosing (a fresh in-memory identity unless it sets a store). */
    ChatClient client(String nickname, E2eEvents events,
            UnaryOperator<ChatClientOptions.Builder> configure) throws Exception {
        ChatClientOptions.Builder b = ChatClientOptions.builder("127.0.0.1", relay.localAddress().getPort())
                .nickname(nickname)
                        .protocolStore(new InMemoryProtocolStore(IdentityKeyPair.generate(new SecureRandom())))
                .trustStore(RelayTrustStore.knownKey(relay.identityPublicKey()));
        ChatClient c = ChatClient.create(configure.apply(b).build(), events);
        clients.add(c);
        await(c.connect());
        return c;
    }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    /** Decodes every recorded plaintext (all are well-formed: the clients are honest). */
    List<Message> messagesSeen() throws MalformedMessageException {
        List<Message> out = new ArrayList<>();
        synchronized (plaintexts) {
            for (byte[] p : plaintexts) {
                out.add(MessageCodec.decode(p));
            }
        }
        return out;
    }

    /** Makes the relay write a message of its own choosing to one client (for example a false {@code Left}). */
    void inject(int clientId, Message message) {
        ChannelHandlerContext ctx = connections.get(clientId);
        ctx.executor().execute(() -> ctx.writeAndFlush(message));
    }

    @Override
    public void close() {
        clients.forEach(ChatClient::close);
        relay.close();
    }

    private final class Recorder extends ChannelDuplexHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof byte[] b) {
                plaintexts.add(b.clone());
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof byte[] b) {
                plaintexts.add(b.clone());
            } else if (msg instanceof ByteBuf encoded) {
                // A message for other connections, encoded once by the relay for all its recipients.
                plaintexts.add(ByteBufUtil.getBytes(encoded));
            }
            ctx.write(msg, promise);
        }
    }

    private final class Hostile extends ChannelDuplexHandler {
        private int clientId;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Message m) {
                for (Message out : inbound.apply(m)) {
                    ctx.fireChannelRead(out);
                }
            } else {
                ctx.fireChannelRead(msg);
            }
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof ByteBuf encoded) {
                // The relay encodes a message for other connections once, for all its recipients: the hostile
                // relay rewrites the message itself.
                Message decoded;
                try {
                    decoded = MessageCodec.decode(ByteBufUtil.getBytes(encoded));
                } finally {
                    encoded.release();
                }
                write(ctx, decoded, promise);
                return;
            }
            if (!(msg instanceof Message m)) {
                ctx.write(msg, promise);
                return;
            }
            if (m instanceof Welcome w) {
                connections.put(w.clientId(), ctx);
                clientId = w.clientId();
            }
            var to = outboundTo;
            List<Message> out = to != null ? to.apply(clientId, m) : outbound.apply(m);
            if (out.isEmpty()) {
                promise.trySuccess();
                return;
            }
            ctx.write(out.get(0), promise);
            for (int i = 1; i < out.size(); i++) {
                ctx.write(out.get(i));
            }
        }
    }
}
