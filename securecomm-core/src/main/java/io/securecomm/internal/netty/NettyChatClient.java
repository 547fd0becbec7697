package io.securecomm.internal.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.securecomm.SecureCommException;
import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientException;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatListener;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.HandshakeFailedException;
import io.securecomm.client.InsecureSuiteRefusedException;
import io.securecomm.client.MessageRejectedException;
import io.securecomm.client.NicknameRejectedException;
import io.securecomm.client.NotConnectedException;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.PeerIdentity;
import io.securecomm.client.RelayClosedException;
import io.securecomm.client.RelayIdentityMismatchException;
import io.securecomm.client.RelayTimeoutException;
import io.securecomm.client.RelayUnreachableException;
import io.securecomm.client.Session;
import io.securecomm.client.TrustDecision;
import io.securecomm.client.UnknownRecipientException;
import io.securecomm.crypto.insecure.LegacyHandshakeException;
import io.securecomm.e2e.IdentityKey;
import io.securecomm.e2e.SafetyNumber;
import io.securecomm.noise.HandshakeException;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.ClientInfo;
import io.securecomm.wire.ClientList;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.Envelope;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.FrameDecoder;
import io.securecomm.wire.Joined;
import io.securecomm.wire.Left;
import io.securecomm.wire.Limits;
import io.securecomm.wire.ListRequest;
import io.securecomm.wire.Message;
import io.securecomm.wire.Nickname;
import io.securecomm.wire.Ping;
import io.securecomm.wire.Pong;
import io.securecomm.wire.PreKeyBundleResponse;
import io.securecomm.wire.PreKeyCount;
import io.securecomm.wire.PrivateMessage;
import io.securecomm.wire.PublicMessage;
import io.securecomm.wire.RoomEnvelope;
import io.securecomm.wire.SendPrivate;
import io.securecomm.wire.SendPublic;
import io.securecomm.wire.UploadPreKeys;
import io.securecomm.wire.Welcome;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The Netty implementation of {@link ChatClient}. Each client owns one event loop thread (I/O, the
 * handshake, the roster) and one event thread (listener callbacks and future completions, in relay
 * order), so a slow listener never stalls the socket. Thread-safe.
 */
public final class NettyChatClient implements ChatClient {
    private static final AtomicInteger CLIENT_NUMBER = new AtomicInteger();
    private static final String CLIENT_VERSION = "securecomm-client/1";
    private static final long CLOSE_WAIT_MILLIS = 2000;
    /** How often held room messages are checked for expiry (their age limit is PendingRoomMessages'). */
    private static final long EXPIRE_PERIOD_MILLIS = 250;
    /**
     * How often a connected client checks whether its signed pre-key is due for rotation; PreKeys decides, with
     * the options' clock, so this only bounds how late a rotation can be.
     */
    private static final long SIGNED_PRE_KEY_CHECK_PERIOD_MINUTES = 60;

    private enum State { NEW, CONNECTING, CONNECTED, CLOSED }

    private final ChatClientOptions options;
    private final ChatListener listener;
    private final ExecutorService events;
    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final AtomicLong nextRequestId = new AtomicLong(1);
    private final Map<Long, Pending<?>> pending = new ConcurrentHashMap<>();
    private final Map<Integer, OnlineClient> roster = new ConcurrentHashMap<>();
    private final CompletableFuture<Session> connected = new CompletableFuture<>();
    private volatile EventLoopGroup group;
    private volatile Channel channel;
    private volatile ChatClientException endCause;
    private volatile boolean everConnected;
    private volatile TrustDecision trust;
    private volatile Session ownSession;
    /** The end-to-end layer; used on the event thread only. */
    private final ClientE2e e2e;

    /**
     * Creates the client; nothing happens on the network until {@link #connect()}.
     *
     * @param options the configuration
     * @param listener the event listener
     */
    public NettyChatClient(ChatClientOptions options, ChatListener listener) {
        this.options = Objects.requireNonNull(options, "options");
        this.listener = Objects.requireNonNull(listener, "listener");
        int n = CLIENT_NUMBER.incrementAndGet();
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "securecomm-client-events-" + n);
            t.setDaemon(true);
            return t;
        });
        this.e2e = new ClientE2e(options.protocolStore(), listener, options.clock(), options.roomPolicy(),
                new ClientE2e.Link() {
            @Override
            public <T> CompletableFuture<T> request(java.util.function.LongFunction<Message> build, String what,
                    String recipient) {
                return NettyChatClient.this.request(build, what, recipient);
            }

            @Override
            public void callListener(Runnable callback) {
                try {
                    callback.run();
                } catch (RuntimeException listenerBug) { // NOPMD: a listener bug must not end the session
                    // deliberately ignored: see ChatListener
                }
            }

            @Override
            public Optional<OnlineClient> byNickname(String nickname) {
                return roster.values().stream().filter(c -> Nickname.sameName(c.nickname(), nickname)).findFirst();
            }
        });
    }

    @Override
    public CompletableFuture<Session> connect() {
        if (!state.compareAndSet(State.NEW, State.CONNECTING)) {
            throw new IllegalStateException("connect() may be called once per client; create a new client to reconnect");
        }
        group = Transports.newGroup(1, "securecomm-client-io-" + options.nickname());
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(Transports.socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) options.connectTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline()
                                .addLast("frame-decoder", new FrameDecoderHandler(FrameDecoder.DEFAULT_MAX_FRAME_LENGTH_BYTES))
                                .addLast("frame-encoder", FrameEncoderHandler.INSTANCE)
                                .addLast("noise", options.insecureLegacyCrypto()
                                        ? LegacyHandler.forClient()
                                        : new NoiseHandler(true, options.identity(), options.handshakeTimeout(),
                                                NettyChatClient.this::checkRelayKey))
                                .addLast("codec", MessageCodecHandler.INSTANCE)
                                .addLast("pacer", new OutboundPacer(options.requestsPerSecond(),
                                        options.requestBurst()))
                                .addLast("client", new ClientHandler());
                    }
                });
        ChannelFuture connecting = bootstrap.connect(options.host(), options.port());
        channel = connecting.channel();
        connecting.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                Throwable cause = f.cause();
                String why;
                if (cause instanceof io.netty.channel.ConnectTimeoutException) {
                    why = "no answer within " + options.connectTimeout().toMillis() + " ms";
                } else if (cause instanceof java.net.ConnectException) {
                    why = "connection refused (is a relay running there?)";
                } else if (cause instanceof java.net.UnknownHostException) {
                    why = "unknown host";
                } else {
                    why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
                }
                fail(new RelayUnreachableException("cannot reach the relay at " + options.relayAddress() + ": " + why,
                        cause));
                return;
            }
            // The Noise handler has its own deadline; this one also covers the hello and the first list.
            f.channel().eventLoop().schedule(() -> {
                if (!connected.isDone()) {
                    fail(new HandshakeFailedException("the relay at " + options.relayAddress()
                            + " did not complete the handshake and welcome within "
                            + options.handshakeTimeout().toMillis() + " ms"));
                }
            }, options.handshakeTimeout().toNanos(), TimeUnit.NANOSECONDS);
        });
        // A separate future: the caller may cancel or complete it without touching the client's state.
        // (Not copy(), which would wrap failures in a CompletionException for whenComplete and friends.)
        CompletableFuture<Session> result = new CompletableFuture<>();
        connected.whenComplete((session, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(session);
            }
        });
        return result;
    }

    private void checkRelayKey(byte[] relayKey) throws SecureCommException {
        try {
            trust = options.trustStore().verify(options.relayAddress(), relayKey);
        } catch (UncheckedIOException e) {
            throw new HandshakeFailedException("cannot check the relay's key: " + e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<Void> sendPublic(String text) {
        checkText(text);
        if (legacy()) {
            return request(id -> new SendPublic(id, text), "public message", null);
        }
        return onEvents(() -> e2e.sendRoom(text));
    }

    @Override
    public CompletableFuture<Void> sendPrivate(int clientId, String text) {
        if (clientId < 1) {
            throw new IllegalArgumentException("client ids start at 1, got " + clientId);
        }
        checkText(text);
        OnlineClient to = roster.get(clientId);
        if (to == null) {
            return state.get() != State.CONNECTED ? notConnected()
                    : CompletableFuture.failedFuture(new UnknownRecipientException(Integer.toString(clientId)));
        }
        return sendTo(to, text);
    }

    /** A private message to a known member: end-to-end encrypted, or in plaintext in the legacy suite. */
    private CompletableFuture<Void> sendTo(OnlineClient to, String text) {
        if (legacy()) {
            return request(id -> new SendPrivate(id, to.clientId(), text), "private message", to.nickname());
        }
        return onEvents(() -> e2e.sendText(to, text));
    }

    /**
     * Whether this client speaks the INSECURE legacy suite, which has no end-to-end layer: like the original
     * toy, it sends its chat in plaintext to the relay, and shows the plaintext the relay forwards.
     */
    private boolean legacy() {
        return options.insecureLegacyCrypto();
    }

    private void noEndToEndInLegacy() {
        if (legacy()) {
            throw new IllegalStateException("this client uses the INSECURE legacy suite, which has no end-to-end"
                    + " identities to verify or trust");
        }
    }

    @Override
    public CompletableFuture<Void> sendPrivate(String recipient, String text) {
        Objects.requireNonNull(recipient, "recipient");
        checkText(text);
        if (!recipient.isEmpty() && recipient.chars().allMatch(c -> c >= '0' && c <= '9') && recipient.length() <= 9) {
            return sendPrivate(Integer.parseInt(recipient), text);
        }
        for (OnlineClient c : roster.values()) {
            if (Nickname.sameName(c.nickname(), recipient)) {
                return sendTo(c, text);
            }
        }
        if (state.get() != State.CONNECTED) {
            return notConnected();
        }
        return CompletableFuture.failedFuture(new UnknownRecipientException(recipient));
    }

    @Override
    public CompletableFuture<List<OnlineClient>> list() {
        return request(ListRequest::new, "list", null);
    }

    /** The sender of an envelope: another member, never this client itself (the relay cannot pass it off so). */
    private OnlineClient fromOther(int senderId) {
        Session s = ownSession;
        return s != null && s.clientId() == senderId ? null : roster.get(senderId);
    }

    /** The other members of the room, as the relay announced them. */
    private List<OnlineClient> others() {
        Session s = ownSession;
        List<OnlineClient> out = new ArrayList<>();
        for (OnlineClient c : roster.values()) {
            if (s == null || c.clientId() != s.clientId()) {
                out.add(c);
            }
        }
        return out;
    }

    @Override
    public IdentityKey identityKey() {
        return options.protocolStore().identityKeyPair().publicKey();
    }

    @Override
    public CompletableFuture<PeerIdentity> peerIdentity(String peer) {
        Objects.requireNonNull(peer, "peer");
        noEndToEndInLegacy();
        return onEvents(() -> e2e.peerIdentity(canonicalName(peer)));
    }

    @Override
    public CompletableFuture<Void> markVerified(String peer) {
        Objects.requireNonNull(peer, "peer");
        noEndToEndInLegacy();
        return onEvents(() -> e2e.markVerified(canonicalName(peer)));
    }

    @Override
    public CompletableFuture<Boolean> trustNewIdentity(String peer, SafetyNumber compared) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(compared, "compared");
        noEndToEndInLegacy();
        return onEvents(() -> e2e.trustNewIdentity(canonicalName(peer), compared));
    }

    @Override
    public CompletableFuture<Boolean> rejectNewIdentity(String peer) {
        Objects.requireNonNull(peer, "peer");
        noEndToEndInLegacy();
        return onEvents(() -> e2e.rejectNewIdentity(canonicalName(peer)));
    }

    /** Users type any case; the end-to-end layer knows peers by their canonical nickname. */
    private static String canonicalName(String peer) {
        return Nickname.canonical(peer);
    }

    /**
     * Runs end-to-end work on the event thread (never on the Netty loop) and hands its outcome to a fresh
     * future, unwrapped from the CompletionException that chained stages add.
     */
    private <T> CompletableFuture<T> onEvents(Supplier<CompletableFuture<T>> work) {
        if (state.get() != State.CONNECTED) {
            return notConnected();
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            events.execute(() -> {
                try {
                    work.get().whenComplete((v, e) -> {
                        if (e != null) {
                            result.completeExceptionally(unwrap(e));
                        } else {
                            result.complete(v);
                        }
                    });
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            return notConnected();
        }
        return result;
    }

    /** The cause a chained future's failure wraps: stages add CompletionExceptions around it. */
    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Runs end-to-end work for an incoming message on the event thread, in arrival order. */
    private void e2eWork(Runnable work) {
        try {
            events.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException bug) { // NOPMD: one bad message must not end the session
                    ChatClientException e = new MessageRejectedException("end-to-end processing failed: " + bug, bug);
                    dispatch(() -> listener.onError(e));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            // the client is closing: nothing to deliver to
        }
    }

    @Override
    public boolean isConnected() {
        return state.get() == State.CONNECTED;
    }

    @Override
    public void close() {
        State before = state.getAndSet(State.CLOSED);
        if (before == State.CLOSED) {
            return;
        }
        if (endCause == null) {
            endCause = new NotConnectedException("the client was closed");
        }
        Channel ch = channel;
        if (ch != null && ch.isOpen()) {
            try {
                // The listener is registered before the write and runs on the completing thread, so it
                // runs even if the relay answers the goodbye by closing and this client's loop shuts down.
                ChannelPromise closing = detachedPromise(ch);
                closing.addListener(ChannelFutureListener.CLOSE);
                if (ch.isActive() && before == State.CONNECTED) {
                    ch.writeAndFlush(new Bye(ByeReason.CLIENT_EXIT, ""), closing);
                } else {
                    ch.close(closing);
                }
                if (!ch.eventLoop().inEventLoop()) {
                    ch.closeFuture().awaitUninterruptibly(CLOSE_WAIT_MILLIS);
                }
            } catch (java.util.concurrent.RejectedExecutionException alreadyStopped) {
                // the event loop is gone, and the channel with it
            }
        }
        finish();
    }

    /**
     * A promise whose listeners run on whichever thread completes it, not on the channel's event loop:
     * a write from an application thread may race with the end of the session, and a listener bound to
     * a loop that has just terminated could not run (Netty would log the rejection to standard error).
     */
    private static ChannelPromise detachedPromise(Channel ch) {
        return new DefaultChannelPromise(ch, ImmediateEventExecutor.INSTANCE);
    }

    private void checkText(String text) {
        Objects.requireNonNull(text, "text");
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes < Limits.TEXT_MIN_BYTES) {
            throw new IllegalArgumentException("the message is empty");
        }
        if (bytes > Limits.TEXT_MAX_BYTES) {
            throw new IllegalArgumentException("the message has " + bytes + " bytes in UTF-8; the limit is "
                    + Limits.TEXT_MAX_BYTES);
        }
    }

    private <T> CompletableFuture<T> notConnected() {
        ChatClientException cause = endCause;
        if (cause == null || state.get() != State.CLOSED) {
            cause = new NotConnectedException("not connected to the relay: call connect() and wait for it");
        }
        return CompletableFuture.failedFuture(cause);
    }

    private <T> CompletableFuture<T> request(java.util.function.LongFunction<Message> build, String what,
            String recipient) {
        if (state.get() != State.CONNECTED) {
            return notConnected();
        }
        long id = nextRequestId.getAndIncrement();
        Pending<T> p = new Pending<>(recipient);
        pending.put(id, p);
        Channel ch = channel;
        ChannelPromise written = detachedPromise(ch);
        written.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                Pending<?> gone = pending.remove(id);
                if (gone != null) {
                    ChatClientException cause = endCause != null ? endCause
                            : new RelayClosedException("could not send the " + what + ": the connection is closed");
                    completeExceptionally(gone.future, cause);
                }
            }
        });
        ch.writeAndFlush(build.apply(id), written);
        try {
            p.timeout = ch.eventLoop().schedule(() -> {
                Pending<?> late = pending.remove(id);
                if (late != null) {
                    completeExceptionally(late.future, new RelayTimeoutException("the relay at "
                            + options.relayAddress() + " did not answer the " + what + " within "
                            + options.requestTimeout().toMillis() + " ms"));
                }
            }, options.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException loopGone) {
            // the session just ended: finish() fails the request
        }
        if (state.get() == State.CLOSED) {
            // Closed while we registered: make sure nobody waits forever.
            Pending<?> gone = pending.remove(id);
            if (gone != null) {
                completeExceptionally(gone.future, endCause);
            }
        }
        return p.future;
    }

    @SuppressWarnings("unchecked")
    private <T> void complete(long requestId, T value) {
        Pending<?> p = pending.remove(requestId);
        if (p != null) {
            p.cancelTimeout();
            CompletableFuture<T> f = (CompletableFuture<T>) p.future;
            events.execute(() -> f.complete(value));
        }
    }

    private void completeExceptionally(CompletableFuture<?> f, Throwable cause) {
        runOnEvents(() -> f.completeExceptionally(cause));
    }

    private void runOnEvents(Runnable r) {
        try {
            events.execute(r);
        } catch (java.util.concurrent.RejectedExecutionException afterShutdown) {
            r.run();
        }
    }

    private void dispatch(Runnable callback) {
        runOnEvents(() -> {
            try {
                callback.run();
            } catch (RuntimeException listenerBug) { // NOPMD: a listener bug must not end the session
                // deliberately ignored: see ChatListener
            }
        });
    }

    /** Ends the connect attempt or the session with a cause, once. */
    private void fail(ChatClientException cause) {
        if (endCause == null) {
            endCause = cause;
        }
        Channel ch = channel;
        if (ch != null) {
            ch.close();
        }
        if (!connected.isDone()) {
            state.set(State.CLOSED);
            completeExceptionally(connected, endCause);
            finish();
        }
    }

    /** Fails what is pending, tells the listener, and releases the threads. Runs once. */
    private final java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();

    private void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        state.set(State.CLOSED);
        ChatClientException cause = endCause != null ? endCause
                : new RelayClosedException("the connection to the relay at " + options.relayAddress() + " was lost");
        if (!connected.isDone()) {
            completeExceptionally(connected, cause);
        }
        for (Long id : new ArrayList<>(pending.keySet())) {
            Pending<?> p = pending.remove(id);
            if (p != null) {
                completeExceptionally(p.future, cause);
            }
        }
        if (everConnected) {
            dispatch(() -> listener.onDisconnected(cause));
        }
        e2eWork(e2e::close);
        events.shutdown();
        EventLoopGroup g = group;
        if (g != null) {
            // A short quiet period lets a concurrent close() finish its last writes on the loop.
            g.shutdownGracefully(100, 2000, TimeUnit.MILLISECONDS);
        }
    }

    /** A client the relay named, in a {@code ClientList} or a {@code Joined}, as this client's API shows it. */
    private static OnlineClient online(ClientInfo info) {
        return new OnlineClient(info.clientId(), info.nickname(), info.identityKey());
    }

    private static String leaveWords(io.securecomm.wire.LeaveReason reason) {
        return switch (reason) {
            case BYE -> "left";
            case DISCONNECTED -> "disconnected";
            case TIMED_OUT -> "timed out";
            case KICKED -> "kicked";
        };
    }

    private ChatClientException errorFor(ErrorReply error, String recipient) {
        String detail = error.detail().isEmpty() ? error.code().name() : error.detail();
        return switch (error.code()) {
            case UNKNOWN_RECIPIENT, RECIPIENT_GONE -> new UnknownRecipientException(
                    recipient != null ? recipient : "?");
            case INVALID_NICKNAME, NICKNAME_TAKEN, SERVER_FULL -> new NicknameRejectedException(options.nickname(), detail);
            case SHUTTING_DOWN -> new RelayClosedException("the relay is shutting down: " + detail);
            default -> new MessageRejectedException("the relay refused the request (" + error.code() + "): " + detail);
        };
    }

    /** The logic above the codec; runs on the client's event loop. */
    private final class ClientHandler extends ChannelInboundHandlerAdapter {
        /** Envelopes that arrive between Welcome and the first list, before their senders are known. */
        private final List<Message> early = new ArrayList<>();
        private long firstListId;
        private Welcome welcome;
        private byte[] relayKey;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof NoiseHandler.Established established) {
                if (options.insecureLegacyCrypto()) {
                    // The legacy suite authenticates nothing: there is no relay key to pin or show.
                    trust = TrustDecision.NOT_AUTHENTICATED_INSECURE_LEGACY;
                    relayKey = new byte[0];
                } else {
                    relayKey = established.remoteStaticPublicKey();
                }
                ctx.writeAndFlush(new ClientHello(options.nickname(), CLIENT_VERSION));
            } else {
                super.userEventTriggered(ctx, evt);
            }
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof MessageCodecHandler.Malformed malformed) {
                ChatClientException error = new MessageRejectedException(
                        "the relay sent a message this client cannot parse: " + malformed.cause().getMessage());
                if (!connected.isDone()) {
                    fail(error);
                } else {
                    dispatch(() -> listener.onError(error));
                }
                return;
            }
            if (!(msg instanceof Message message)) {
                return;
            }
            if (message instanceof Welcome w) {
                welcome = w;
                firstListId = nextRequestId.getAndIncrement();
                Channel ch = ctx.channel();
                long listId = firstListId;
                if (legacy()) {
                    ch.writeAndFlush(new ListRequest(listId)); // the toy publishes no pre-keys
                    return;
                }
                long uploadId = nextRequestId.getAndIncrement();
                Pending<Void> upload = new Pending<>(null);
                pending.put(uploadId, upload);
                upload.future.whenComplete((v, e) -> {
                    if (e != null) {
                        fail(new HandshakeFailedException("the relay refused this client's pre-keys: "
                                + unwrap(e).getMessage(), e));
                    }
                });
                // Pre-keys are made on the event thread (X25519 and Ed25519 work stays off the socket's loop);
                // the relay answers in order, so they are published before connect() completes.
                e2eWork(() -> {
                    ch.writeAndFlush(new UploadPreKeys(uploadId, e2e.welcomed(w.nickname())));
                    ch.writeAndFlush(new ListRequest(listId));
                });
            } else if (message instanceof ClientList list) {
                List<OnlineClient> clients = new ArrayList<>();
                for (ClientInfo info : list.clients()) {
                    clients.add(online(info));
                }
                if (list.requestId() == firstListId && !connected.isDone()) {
                    roster.clear();
                    clients.forEach(c -> roster.put(c.clientId(), c));
                    everConnected = true;
                    state.compareAndSet(State.CONNECTING, State.CONNECTED);
                    Session session = new Session(welcome.clientId(), welcome.nickname(), welcome.serverInfo(),
                            relayKey, trust);
                    ownSession = session;
                    if (!legacy()) {
                        List<OnlineClient> others = others();
                        e2eWork(() -> e2e.roomJoined(others));
                        // Room messages whose sender key never arrives are reported, not kept for ever.
                        ctx.channel().eventLoop().scheduleAtFixedRate(() -> e2eWork(e2e::expirePending),
                                EXPIRE_PERIOD_MILLIS, EXPIRE_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
                        ctx.channel().eventLoop().scheduleAtFixedRate(() -> e2eWork(e2e::maintainSignedPreKey),
                                SIGNED_PRE_KEY_CHECK_PERIOD_MINUTES, SIGNED_PRE_KEY_CHECK_PERIOD_MINUTES,
                                TimeUnit.MINUTES);
                    }
                    for (Message m : early) {
                        channelRead(ctx, m);
                    }
                    early.clear();
                    events.execute(() -> connected.complete(session));
                } else {
                    clients.forEach(c -> roster.put(c.clientId(), c));
                    complete(list.requestId(), List.copyOf(clients));
                }
            } else if (message instanceof Delivered d) {
                complete(d.requestId(), null);
            } else if (message instanceof PreKeyBundleResponse bundle) {
                complete(bundle.requestId(), bundle.bundle());
            } else if (message instanceof PreKeyCount count) {
                e2eWork(() -> e2e.preKeyCount(count.remaining()));
            } else if (!everConnected && (message instanceof Envelope || message instanceof RoomEnvelope)) {
                // Members who already have a session with this client write as soon as they see it join.
                if (early.size() < Limits.CLIENT_LIST_MAX_ENTRIES * 4) {
                    early.add(message);
                }
            } else if (legacy() && (message instanceof PublicMessage || message instanceof PrivateMessage)) {
                // The INSECURE legacy suite, as the original toy: the relay read this, and could have written it.
                ChatMessage m = message instanceof PublicMessage p
                        ? new ChatMessage(p.senderId(), p.senderNickname(), p.text(), false)
                        : new ChatMessage(((PrivateMessage) message).senderId(),
                                ((PrivateMessage) message).senderNickname(), ((PrivateMessage) message).text(), true);
                dispatch(() -> listener.onMessage(m));
            } else if (legacy() && (message instanceof Envelope || message instanceof RoomEnvelope)) {
                int senderId = message instanceof Envelope e ? e.senderId() : ((RoomEnvelope) message).senderId();
                OnlineClient from = roster.get(senderId);
                String sender = from != null ? from.nickname() : "client " + senderId;
                e2eWork(() -> e2e.undecryptable(sender, message instanceof Envelope, "it is end-to-end encrypted,"
                        + " and a client of the INSECURE legacy suite has no end-to-end keys", null));
            } else if (message instanceof Envelope envelope) {
                OnlineClient from = fromOther(envelope.senderId());
                e2eWork(() -> {
                    if (from == null) {
                        e2e.undecryptable("client " + envelope.senderId(), "the relay names a sender that is not"
                                + " in this client's roster", null);
                    } else {
                        e2e.receive(from, envelope.ciphertext());
                    }
                });
            } else if (message instanceof ErrorReply error) {
                Pending<?> p = error.requestId() == 0 ? null : pending.remove(error.requestId());
                if (p != null) {
                    p.cancelTimeout();
                    completeExceptionally(p.future, errorFor(error, p.recipient));
                } else if (!connected.isDone()) {
                    fail(errorFor(error, null));
                } else {
                    ChatClientException e = errorFor(error, null);
                    dispatch(() -> listener.onError(e));
                }
            } else if (message instanceof PublicMessage || message instanceof PrivateMessage) {
                // Plaintext chat from the relay is never shown: the relay could have written it itself.
                String sender = message instanceof PublicMessage m ? m.senderNickname()
                        : ((PrivateMessage) message).senderNickname();
                e2eWork(() -> e2e.undecryptable(sender, message instanceof PrivateMessage, "it arrived unencrypted,"
                        + " so the relay could have forged it; this client shows only end-to-end encrypted messages",
                        null));
            } else if (message instanceof RoomEnvelope envelope) {
                OnlineClient from = fromOther(envelope.senderId());
                e2eWork(() -> {
                    if (from == null) {
                        e2e.undecryptable("client " + envelope.senderId(), false, "the relay names a sender that is"
                                + " not another member in this client's roster", null);
                    } else {
                        e2e.receiveRoom(from, envelope.ciphertext());
                    }
                });
            } else if (message instanceof Joined j) {
                OnlineClient c = online(j.client());
                roster.put(c.clientId(), c);
                if (everConnected && !legacy()) {
                    e2eWork(() -> e2e.memberJoined(c));
                }
                if (connected.isDone()) {
                    dispatch(() -> listener.onJoin(c));
                }
            } else if (message instanceof Left l) {
                OnlineClient c = roster.remove(l.clientId());
                OnlineClient who = c != null ? c : new OnlineClient(l.clientId(), l.nickname(), new byte[0]);
                String words = leaveWords(l.reason());
                if (!legacy()) {
                    e2eWork(() -> e2e.memberLeft(who));
                }
                if (connected.isDone()) {
                    dispatch(() -> listener.onLeave(who, words));
                }
            } else if (message instanceof Ping ping) {
                ctx.writeAndFlush(new Pong(ping.nonce()));
            } else if (message instanceof Bye bye) {
                String detail = bye.detail().isEmpty() ? "" : ": " + bye.detail();
                ChatClientException cause = new RelayClosedException("the relay ended the session ("
                        + bye.reason() + ")" + detail);
                if (endCause == null) {
                    endCause = cause;
                }
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ChatClientException error;
            if (cause instanceof RelayIdentityMismatchException mismatch) {
                error = mismatch;
            } else if (cause instanceof LegacyHandshakeException legacy
                    && legacy.reason() == LegacyHandshakeException.Reason.LEGACY_ONLY_PEER) {
                error = new InsecureSuiteRefusedException(options.relayAddress(), legacy);
            } else if (cause instanceof LegacyHandshakeException legacy) {
                error = new HandshakeFailedException("the INSECURE legacy handshake with the relay at "
                        + options.relayAddress() + " failed: " + legacy.getMessage(), legacy);
            } else if (cause instanceof HandshakeFailedException hf) {
                error = hf;
            } else if (cause instanceof HandshakeException || cause instanceof NoiseHandler.HandshakeTimeoutException
                    || (cause instanceof SecureCommException && !connected.isDone())) {
                error = new HandshakeFailedException("the Noise handshake with the relay at " + options.relayAddress()
                        + " failed: " + cause.getMessage(), cause);
            } else if (cause instanceof SecureCommException) {
                error = new RelayClosedException("the session with the relay broke: " + cause.getMessage(), cause);
            } else {
                error = new RelayClosedException("the connection to the relay at " + options.relayAddress()
                        + " failed: " + cause.getMessage(), cause);
            }
            if (endCause == null) {
                endCause = error;
            }
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (endCause == null) {
                endCause = connected.isDone()
                        ? new RelayClosedException("the connection to the relay at " + options.relayAddress() + " was lost")
                        : new HandshakeFailedException("the relay at " + options.relayAddress()
                                + " closed the connection during the handshake"
                                + (options.insecureLegacyCrypto() ? " after the INSECURE legacy hello: it does not"
                                        + " accept the legacy suite (a relay accepts it only when started with"
                                        + " --insecure-legacy-crypto)" : ""));
            }
            finish();
            super.channelInactive(ctx);
        }
    }

    private static final class Pending<T> {
        final CompletableFuture<T> future = new CompletableFuture<>();
        final String recipient;
        volatile java.util.concurrent.Future<?> timeout;

        void cancelTimeout() {
            java.util.concurrent.Future<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
        }

        Pending(String recipient) {
            this.recipient = recipient;
        }
    }
}
