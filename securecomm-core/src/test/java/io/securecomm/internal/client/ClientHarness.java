package io.securecomm.internal.client;

import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.DeliveryStatus;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.RelayKeyDecision;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.client.Session;
import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.ProtocolStore;
import io.securecomm.internal.client.ClientAction.Close;
import io.securecomm.internal.client.ClientAction.Complete;
import io.securecomm.internal.client.ClientAction.Fail;
import io.securecomm.internal.client.ClientAction.Notify;
import io.securecomm.internal.client.ClientAction.Send;
import io.securecomm.internal.client.ClientAction.SendLast;
import io.securecomm.internal.client.insecure.LegacyChat;
import io.securecomm.internal.relay.ProtocolExtension;
import io.securecomm.internal.relay.RelayHarness;
import io.securecomm.internal.relay.insecure.LegacyPlaintextChat;
import io.securecomm.relay.RelayOptions;
import io.securecomm.testing.MutableClock;
import io.securecomm.wire.Message;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Client sessions pumped against relay sessions, in memory: one relay ({@link RelayHarness}: one {@code RelayState},
 * its sessions, a {@link MutableClock}) and several {@link ClientSession}s on the same clock, each joined to one of
 * the relay's connections as if the handshake had completed. {@link #pump()} carries the clients' actions to the
 * relay and the relay's messages to the clients until nothing is left to do, the way the Noise tests pump
 * handshakes. No socket, no thread, no sleep. Single-threaded.
 */
public final class ClientHarness {
    /** The relay's static key, as the clients' handshakes would have authenticated it. */
    public static final byte[] RELAY_KEY = new byte[32];
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The relay. */
    public final RelayHarness relay;
    /** The clock of the relay and of every client. */
    public final MutableClock clock;
    private final List<Client> clients = new ArrayList<>();

    public ClientHarness() {
        this(RelayOptions.builder());
    }

    public ClientHarness(RelayOptions.Builder relayOptions) {
        relay = new RelayHarness(relayOptions.serverInfo("relay under test"));
        clock = relay.clock;
    }

    /**
     * The relay's operator releases an account, as {@code securecomm server accounts remove NAME} does: since accounts
     * (#16), a new identity may take a nickname only once the old one's account is released.
     *
     * @param nickname the account's nickname
     */
    public void releaseAccount(String nickname) {
        relay.releaseAccount(nickname);
    }

    /**
     * A client with a fresh identity, not connected yet.
     *
     * @param nickname its nickname
     * @return the client
     */
    public Client client(String nickname) {
        return client(nickname, b -> b);
    }

    /**
     * A client whose options the test adjusts (its store, its room policy, its timeouts, the legacy suite).
     *
     * @param nickname its nickname
     * @param configure adjusts the options
     * @return the client
     */
    public Client client(String nickname, UnaryOperator<ChatClientOptions.Builder> configure) {
        ChatClientOptions options = configure.apply(ChatClientOptions.builder("relay.test", 7000).nickname(nickname)
                .protocolStore(new InMemoryProtocolStore(IdentityKeyPair.generate(RANDOM)))
                .trustStore(RelayTrustStore.knownKey(RELAY_KEY)).clock(clock)).build();
        Client c = new Client(options);
        clients.add(c);
        return c;
    }

    /**
     * A client connected: its future completed.
     *
     * @param nickname its nickname
     * @return the client
     */
    public Client connected(String nickname) {
        return connected(client(nickname));
    }

    public Client connected(Client c) {
        CompletableFuture<Session> f = c.connect();
        if (!f.isDone() || f.isCompletedExceptionally()) {
            throw new AssertionError(c.nickname + " did not connect: " + f);
        }
        return c;
    }

    /**
     * A client connected at a relay whose pace holds its connect requests back (its two pre-key uploads and its
     * first list may be more than the relay's burst): the clock runs until the connect completes.
     *
     * @param c the client
     * @return the client
     */
    public Client connectedPaced(Client c) {
        CompletableFuture<Session> f = c.connect();
        advanceUntil(f::isDone, c.nickname + " connected");
        if (f.isCompletedExceptionally()) {
            throw new AssertionError(c.nickname + " did not connect: " + f);
        }
        return c;
    }

    /** Carries out every client's and the relay's actions until nothing is left to do. */
    public void pump() {
        boolean busy = true;
        while (busy) {
            busy = false;
            relay.pump();
            for (Client c : List.copyOf(clients)) {
                busy |= c.step();
            }
        }
    }

    /**
     * Moves the clock; every relay and client session whose deadline came gets its timeout, then everything pumps.
     *
     * @param d how far
     */
    public void advance(Duration d) {
        relay.advance(d);
        Instant now = clock.instant();
        for (Client c : List.copyOf(clients)) {
            if (c.session.pollTimeout().filter(t -> !t.isAfter(now)).isPresent()) {
                c.session.handleTimeout(now);
            }
        }
        pump();
    }

    /** The longest {@link #settle()} lets the clock run. */
    public static final Duration SETTLE_LIMIT = Duration.ofMinutes(5);

    /**
     * Lets time pass, from one client deadline to the next (at most 100 ms at a time), until no client has anything
     * waiting for its pace: what a real client's backlog takes in real time, on the harness's clock. Bounded by
     * {@link #SETTLE_LIMIT}.
     *
     * @return how long the clock ran
     */
    public Duration settle() {
        Instant start = clock.instant();
        pump();
        while (clients.stream().anyMatch(c -> c.session.waitingToSend() > 0)) {
            if (Duration.between(start, clock.instant()).compareTo(SETTLE_LIMIT) > 0) {
                throw new AssertionError("the clients still have messages waiting after " + SETTLE_LIMIT);
            }
            step();
        }
        return Duration.between(start, clock.instant());
    }

    /** Moves the clock to the next client deadline, at least 1 ms and at most 100 ms on. */
    private void step() {
        Instant now = clock.instant();
        Duration next = Duration.ofMillis(100);
        for (Client c : clients) {
            if (!c.session.isEnded()) {
                Optional<Instant> due = c.session.pollTimeout();
                if (due.isPresent() && Duration.between(now, due.get()).compareTo(next) < 0) {
                    next = Duration.between(now, due.get());
                }
            }
        }
        advance(next.compareTo(Duration.ofMillis(1)) < 0 ? Duration.ofMillis(1) : next);
    }

    /**
     * Lets time pass, from one client deadline to the next (at most 100 ms at a time), until the condition holds.
     * Bounded by {@link #SETTLE_LIMIT}.
     *
     * @param condition what to wait for
     * @param what the condition in words, for the failure
     * @return how long the clock ran
     */
    public Duration advanceUntil(BooleanSupplier condition, String what) {
        Instant start = clock.instant();
        pump();
        while (!condition.getAsBoolean()) {
            if (Duration.between(start, clock.instant()).compareTo(SETTLE_LIMIT) > 0) {
                throw new AssertionError(what + " did not happen within " + SETTLE_LIMIT + " of the harness's clock");
            }
            step();
        }
        return Duration.between(start, clock.instant());
    }

    /** One client: its session, its relay connection once connected, and what it was told. */
    public final class Client {
        public final ChatClientOptions options;
        public final String nickname;
        public final ClientSession session;
        /** Every listener call, in order. */
        public final List<ClientEvent> events = new ArrayList<>();
        /** Every message the client sent, in order (whether the relay got it or not). */
        public final List<Message> sent = new ArrayList<>();
        /** What the relay gets of each message this client sends (all of it by default); a hostile network's hook. */
        public Function<Message, List<Message>> toRelay = List::of;
        /** What this client gets of each message the relay sends it (all of it by default). */
        public Function<Message, List<Message>> fromRelay = List::of;
        /**
         * An answer the relay gives instead of handling a message this client sends (a refusal the test stages), or
         * {@code null} to let the relay handle it; the answer arrives at the next step, as from the relay.
         */
        public Function<Message, Message> answeredInstead = m -> null;
        private final List<Message> stagedAnswers = new ArrayList<>();
        public RelayHarness.Conn conn;
        private boolean transportClosed;

        Client(ChatClientOptions options) {
            this.options = options;
            this.nickname = options.nickname();
            this.session = new ClientSession(options, options.insecureLegacyCrypto() ? LegacyChat::new
                    : ClientE2e::new);
        }

        public ProtocolStore store() {
            return options.protocolStore();
        }

        /** Connects: the transport comes up, the handshake completes at once, then everything pumps. */
        public CompletableFuture<Session> connect() {
            CompletableFuture<Session> f = new CompletableFuture<>();
            session.connect(f);
            transportUp();
            handshakeDone();
            return f;
        }

        /** The transport is up, but the handshake is not done: the relay has a connection with no key yet. */
        public void transportUp() {
            boolean legacy = options.insecureLegacyCrypto();
            conn = relay.connect(legacy ? LegacyPlaintextChat.INSTANCE : ProtocolExtension.NONE);
            session.handleConnected();
            pump();
        }

        /** The handshake completes with this client's identity key (the legacy suite's authenticates nothing). */
        public void handshakeDone() {
            boolean legacy = options.insecureLegacyCrypto();
            conn.session.handleEstablished(options.identity().publicKey());
            session.handleEstablished(legacy ? new byte[0] : RELAY_KEY,
                    legacy ? RelayKeyDecision.NOT_AUTHENTICATED_INSECURE_LEGACY : RelayKeyDecision.MATCHES_PIN);
            pump();
        }

        /**
         * Calls one of the session's commands with a new future, then pumps.
         *
         * @param command the command
         * @param <T> the future's value
         * @return the future, as the application would hold it
         */
        public <T> CompletableFuture<T> call(BiConsumer<ClientSession, CompletableFuture<T>> command) {
            CompletableFuture<T> f = new CompletableFuture<>();
            command.accept(session, f);
            pump();
            return f;
        }

        public CompletableFuture<DeliveryStatus> sendPublic(String text) {
            return this.<DeliveryStatus>call((s, f) -> s.commands().sendPublic(text, f));
        }

        public CompletableFuture<DeliveryStatus> sendPrivate(String to, String text) {
            return this.<DeliveryStatus>call((s, f) -> s.commands().sendPrivate(to, text, f));
        }

        public CompletableFuture<DeliveryStatus> sendPrivate(int to, String text) {
            return this.<DeliveryStatus>call((s, f) -> s.commands().sendPrivate(to, text, f));
        }

        public CompletableFuture<List<OnlineClient>> list() {
            return this.<List<OnlineClient>>call((s, f) -> s.commands().list(f));
        }

        /** The network fails under this client: both sides see the connection end, nobody says goodbye. */
        public void crash() {
            conn.clientCloses();
            pump();
        }

        /** The events of one kind, in order. */
        public <E extends ClientEvent> List<E> events(Class<E> kind) {
            return events.stream().filter(kind::isInstance).map(kind::cast).toList();
        }

        /** Carries out the session's actions and hands it what the relay sent; tells whether anything happened. */
        boolean step() {
            boolean busy = false;
            for (ClientAction a; (a = session.poll()) != null; ) {
                busy = true;
                carryOut(a);
            }
            if (!stagedAnswers.isEmpty()) {
                busy = true;
                List<Message> answers = List.copyOf(stagedAnswers);
                stagedAnswers.clear();
                answers.forEach(session::handleMessage);
            }
            if (conn != null) {
                for (Message m : conn.drain()) {
                    busy = true;
                    fromRelay.apply(m).forEach(session::handleMessage);
                }
                if (!conn.isOpen() && !transportClosed) {
                    busy = true;
                    transportClosed = true;
                    session.handleTransportClosed();
                }
            }
            return busy;
        }

        private void carryOut(ClientAction action) {
            if (action instanceof Send send) {
                sent.add(send.message());
                Message instead = answeredInstead.apply(send.message());
                if (instead != null) {
                    stagedAnswers.add(instead);
                } else if (conn != null && conn.isOpen()) {
                    toRelay.apply(send.message()).forEach(conn::send);
                }
            } else if (action instanceof SendLast last) {
                sent.add(last.message());
                if (conn != null && conn.isOpen()) {
                    toRelay.apply(last.message()).forEach(conn::send);
                    conn.clientCloses();
                }
            } else if (action instanceof Close) {
                if (conn != null && conn.isOpen()) {
                    conn.clientCloses();
                }
            } else if (action instanceof Notify notify) {
                events.add(notify.event());
            } else if (action instanceof Complete<?> complete) {
                complete.run();
            } else if (action instanceof Fail fail) {
                fail.future().completeExceptionally(fail.cause());
            }
        }

        @Override
        public String toString() {
            return "Client[" + nickname + "]";
        }
    }
}
