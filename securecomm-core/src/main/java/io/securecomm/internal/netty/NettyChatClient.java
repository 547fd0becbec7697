package io.securecomm.internal.netty;

import io.netty.channel.Channel;
import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatFuture;
import io.securecomm.client.ClientPage;
import io.securecomm.client.ChatListener;
import io.securecomm.client.DeliveryStatus;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.PeerIdentity;
import io.securecomm.client.Session;
import io.securecomm.e2e.IdentityKey;
import io.securecomm.e2e.SafetyNumber;
import io.securecomm.internal.client.ClientChecks;
import io.securecomm.internal.client.ClientSession;
import io.securecomm.internal.noise.HopCipher;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;

/**
 * The Netty implementation of {@link ChatClient}: it checks the application's arguments, hands every call to the
 * client's {@link ClientSession} on the client's own thread (through {@link ClientDriver}), and opens the
 * connection that {@link ClientPipeline} assembles. Each client owns two threads: an I/O thread
 * ({@code securecomm-client-io-<nickname>}: framing, Noise, the codec) and its own thread
 * ({@code securecomm-client-events-N}: the session, the end-to-end work, the listener's callbacks and the
 * completions of its futures, in the order the relay sent what caused them). Thread-safe.
 */
public final class NettyChatClient implements ChatClient {
    private static final long CLOSE_WAIT_MILLIS = 2000;

    private final ChatClientOptions options;
    private final ClientPipeline assembly;
    private final ClientDriver client;
    private final AtomicBoolean connectCalled = new AtomicBoolean();
    private final AtomicBoolean closeCalled = new AtomicBoolean();

    /**
     * Creates the client; nothing happens on the network until {@link #connect()}.
     *
     * @param options the configuration
     * @param listener the event listener
     */
    public NettyChatClient(ChatClientOptions options, ChatListener listener) {
        this.options = Objects.requireNonNull(options, "options");
        this.assembly = new ClientPipeline(options);
        this.client = new ClientDriver(new ClientSession(options, assembly.chatLayer(), this),
                Objects.requireNonNull(listener, "listener"), options.clock());
    }

    @Override
    public ChatFuture<Session> connect() {
        if (closeCalled.get()) {
            throw new IllegalStateException("this client was closed; create a new client to connect");
        }
        // Before anything is sent: a hop cipher nobody can name fails here, not in the connection's pipeline.
        HopCipher.configured();
        if (!connectCalled.compareAndSet(false, true)) {
            throw new IllegalStateException("connect() may be called once per client; create a new client to"
                    + " reconnect");
        }
        ChatFuture<Session> result = future();
        client.submit(session -> session.connect(result), result);
        assembly.connect(client);
        return result;
    }

    @Override
    public ChatFuture<DeliveryStatus> sendPublic(String text) {
        ClientChecks.checkText(text);
        return call((session, result) -> session.commands().sendPublic(text, result));
    }

    @Override
    public ChatFuture<DeliveryStatus> sendPrivate(int clientId, String text) {
        ClientChecks.checkClientId(clientId);
        ClientChecks.checkText(text);
        return call((session, result) -> session.commands().sendPrivate(clientId, text, result));
    }

    @Override
    public ChatFuture<DeliveryStatus> sendPrivate(String recipient, String text) {
        OptionalInt clientId = ClientChecks.clientId(recipient);
        if (clientId.isPresent()) {
            return sendPrivate(clientId.getAsInt(), text);
        }
        ClientChecks.checkText(text);
        return call((session, result) -> session.commands().sendPrivate(recipient, text, result));
    }

    @Override
    public ChatFuture<List<OnlineClient>> list() {
        return call((session, result) -> session.commands().list(result));
    }

    @Override
    public ChatFuture<ClientPage> listPage(String after, int maxEntries) {
        ClientChecks.checkPageRequest(after, maxEntries);
        return call((session, result) -> session.commands().listPage(after, maxEntries, result));
    }

    @Override
    public IdentityKey identityKey() {
        return options.protocolStore().identityKeyPair().publicKey();
    }

    @Override
    public ChatFuture<PeerIdentity> peerIdentity(String peer) {
        Objects.requireNonNull(peer, "peer");
        requireIdentities();
        return call((session, result) -> session.commands().peerIdentity(peer, result));
    }

    @Override
    public ChatFuture<Void> markVerified(String peer) {
        Objects.requireNonNull(peer, "peer");
        requireIdentities();
        return call((session, result) -> session.commands().markVerified(peer, result));
    }

    @Override
    public ChatFuture<Void> releaseAccount() {
        return call((session, result) -> session.commands().releaseAccount(result));
    }

    @Override
    public ChatFuture<Boolean> trustNewIdentity(String peer, SafetyNumber compared) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(compared, "compared");
        requireIdentities();
        return call((session, result) -> session.commands().trustNewIdentity(peer, compared, result));
    }

    @Override
    public ChatFuture<Boolean> rejectNewIdentity(String peer) {
        Objects.requireNonNull(peer, "peer");
        requireIdentities();
        return call((session, result) -> session.commands().rejectNewIdentity(peer, result));
    }

    @Override
    public boolean isConnected() {
        return client.isConnected();
    }

    @Override
    public void close() {
        if (!closeCalled.compareAndSet(false, true)) {
            return;
        }
        if (!connectCalled.get()) {
            client.submitThenRelease(ClientSession::close); // never connected: no channel will stop the threads
            return;
        }
        assembly.stop(); // no further node; an attempt that has yet to make its channel releases the threads
        client.submit(ClientSession::close, null);
        Channel ch = assembly.channel();
        if (ch == null) {
            return;
        }
        // Wait for the goodbye to be written, unless that would wait for the very thread that writes it.
        if (!client.inClientThread() && !ch.eventLoop().inEventLoop()) {
            ch.closeFuture().awaitUninterruptibly(CLOSE_WAIT_MILLIS);
        }
    }

    /** The most messages that ever waited for this client's thread at once (for tests of the inbound window). */
    int mostWaitingForItsThread() {
        ClientHandler handler = assembly.handler();
        return handler == null ? 0 : handler.inboundWindow().mostWaiting();
    }

    /** Runs a command on the client's thread and returns the future it answers. */
    private <T> ChatFuture<T> call(BiConsumer<ClientSession, CompletableFuture<T>> command) {
        ChatFuture<T> result = future();
        client.submit(session -> command.accept(session, result), result);
        return result;
    }

    /** A future completed on the client's thread, which therefore refuses to be waited for there. */
    private <T> ChatFuture<T> future() {
        return new ChatFuture<>(client::inClientThread);
    }

    private void requireIdentities() {
        assembly.withoutIdentities().ifPresent(why -> {
            throw new IllegalStateException(why);
        });
    }

    /**
     * How {@link ChatClient#create} finds this implementation: named in securecomm-core's module descriptor and in
     * its {@code META-INF/services} entry. Not for direct use.
     */
    public static final class Provider implements ChatClient.Provider {
        /** Creates the provider; the service loader calls this. */
        public Provider() {}

        @Override
        public ChatClient create(ChatClientOptions options, ChatListener listener) {
            return new NettyChatClient(options, listener);
        }
    }
}
