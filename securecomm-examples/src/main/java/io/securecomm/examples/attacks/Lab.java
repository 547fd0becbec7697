package io.securecomm.examples.attacks;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatListener;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.client.Session;
import io.securecomm.relay.InsecureLegacyMode;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.RelayServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The attack demos' laboratory on 127.0.0.1: a real relay on an ephemeral port, an attacker's proxy in front of
 * it, and chat clients; everything is closed with the lab. Every wait is bounded by {@link #WAIT}. Not
 * thread-safe: one demo thread drives it.
 */
public final class Lab implements AutoCloseable {
    /** The longest any step waits. */
    public static final Duration WAIT = Duration.ofSeconds(10);

    private final List<AutoCloseable> resources = new ArrayList<>();
    private RelayServer relay;

    /**
     * Starts the relay.
     *
     * @param legacy whether it also speaks the INSECURE legacy suite
     * @return the relay's port on 127.0.0.1
     * @throws IOException if it cannot listen
     */
    public int startRelay(InsecureLegacyMode legacy) throws IOException {
        relay = RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                .insecureLegacyCrypto(legacy).build());
        resources.add(relay);
        relay.start();
        return relay.localAddress().getPort();
    }

    /**
     * The relay's port.
     *
     * @return the port on 127.0.0.1
     * @throws IllegalStateException if the relay is not started
     */
    public int relayPort() {
        if (relay == null) {
            throw new IllegalStateException("start the relay first");
        }
        return relay.localAddress().getPort();
    }

    /**
     * Puts the attacker's proxy in front of the relay.
     *
     * @param interceptor what the attacker does
     * @return the proxy (closed with the lab)
     * @throws IOException if it cannot listen
     */
    public InterceptingProxy startProxy(InterceptingProxy.Interceptor interceptor) throws IOException {
        InterceptingProxy proxy = InterceptingProxy.start(relay.localAddress().getPort(), interceptor);
        resources.add(proxy);
        return proxy;
    }

    /**
     * Connects a chat client.
     *
     * @param nickname its nickname
     * @param port where to connect (the relay's or the proxy's port)
     * @param legacy whether it speaks the INSECURE legacy suite
     * @param trust its relay trust store
     * @return the connected peer
     * @throws Exception the connect failure, unwrapped from the future (a {@code ChatClientException})
     */
    public Peer connect(String nickname, int port, boolean legacy, RelayTrustStore trust) throws Exception {
        Peer peer = new Peer(nickname);
        ChatClient client = ChatClient.create(ChatClientOptions.builder("127.0.0.1", port).nickname(nickname)
                .trustStore(trust).insecureLegacyCrypto(legacy).build(), peer);
        resources.add(client);
        peer.client = client;
        peer.session = await(client.connect());
        return peer;
    }

    /**
     * Waits for a future, unwrapping its failure.
     *
     * @param <T> the value type
     * @param future the future
     * @return its value
     * @throws Exception the future's own failure, or a timeout
     */
    public static <T> T await(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new AttackFailedException("nothing happened within " + WAIT.toSeconds() + " s", e);
        }
    }

    /** Closes every client, proxy and the relay, newest first. */
    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception ignored) { // closing a lab must close everything
                // keep closing the rest
            }
        }
        resources.clear();
    }

    /** One chat user: the client and what it received. */
    public static final class Peer implements ChatListener {
        private final String nickname;
        private final BlockingQueue<ChatMessage> inbox = new LinkedBlockingQueue<>();
        private ChatClient client;
        private Session session;

        private Peer(String nickname) {
            this.nickname = nickname;
        }

        @Override
        public void onMessage(ChatMessage message) {
            inbox.add(message);
        }

        /**
         * The client.
         *
         * @return the connected client
         */
        public ChatClient client() {
            return client;
        }

        /**
         * The session.
         *
         * @return what connect established
         */
        public Session session() {
            return session;
        }

        /**
         * The nickname.
         *
         * @return the nickname
         */
        public String nickname() {
            return nickname;
        }

        /**
         * Waits for the next message.
         *
         * @param timeout how long at most
         * @return the message, or {@code null} if none came
         * @throws InterruptedException if interrupted
         */
        public ChatMessage nextMessage(Duration timeout) throws InterruptedException {
            return inbox.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }
}
