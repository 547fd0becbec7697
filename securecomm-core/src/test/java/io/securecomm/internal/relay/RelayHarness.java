package io.securecomm.internal.relay;

import io.securecomm.internal.relay.RelayAction.Announce;
import io.securecomm.internal.relay.RelayAction.Close;
import io.securecomm.internal.relay.RelayAction.DisconnectOther;
import io.securecomm.internal.relay.RelayAction.Ending;
import io.securecomm.internal.relay.RelayAction.Forward;
import io.securecomm.internal.relay.RelayAction.Report;
import io.securecomm.internal.relay.RelayAction.Send;
import io.securecomm.internal.relay.RelayAction.SendLast;
import io.securecomm.relay.DepartureReason;
import io.securecomm.relay.RelayListener;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.store.RelayStore;
import io.securecomm.testing.MutableClock;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.Message;
import io.securecomm.wire.Nickname;
import io.securecomm.wire.Welcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One relay's sessions driven without sockets: each {@link Conn} stands for a connection, and {@link #pump()}
 * carries out every session's actions the way the Netty adapter does, until nothing is left to do. Every session's
 * executor is one FIFO of tasks, as if all connections shared one event loop. Time moves only with
 * {@link #advance}, which drives the relay's deadlines as the adapter does. Single-threaded.
 */
public final class RelayHarness {
    /** The relay's clock. */
    public final MutableClock clock = new MutableClock();
    /** The relay's shared state. */
    public final RelayState<Conn> relay;
    /** What the operator's listener was told, in order ("+1 alice", "-1 alice LEFT", "~1 room:5"). */
    public final List<String> listened = new ArrayList<>();
    private final List<Conn> connections = new ArrayList<>();
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();

    /**
     * A relay with these options; its listener is replaced by the harness's recorder.
     *
     * @param options the relay's options
     */
    public RelayHarness(RelayOptions.Builder options) {
        this(options, null);
    }

    /**
     * A relay with these options and a store made on the relay's clock; its listener is replaced by the harness's
     * recorder.
     *
     * @param options the relay's options
     * @param store makes the relay's store from the harness's clock, or null for the default in-memory store
     */
    public RelayHarness(RelayOptions.Builder options, Function<Clock,
            RelayStore> store) {
        if (store != null) {
            options.store(store.apply(clock));
        }
        relay = new RelayState<>(options.listener(new RelayListener() {
            @Override
            public void onClientJoined(int clientId, String nickname, byte[] identityKey) {
                listened.add("+" + clientId + " " + nickname);
            }

            @Override
            public void onClientLeft(int clientId, String nickname, DepartureReason reason) {
                listened.add("-" + clientId + " " + nickname + " " + reason);
            }

            @Override
            public void onEnvelopeForwarded(int senderId, boolean toRoom, int ciphertextBytes) {
                listened.add("~" + senderId + " " + (toRoom ? "room" : "1") + ":" + ciphertextBytes);
            }
        }).build(), clock);
    }

    /**
     * A new connection whose handshake completed with this key.
     *
     * @param key the client's static key
     * @param extension its variant
     * @return the connection
     */
    public Conn established(byte[] key, ProtocolExtension extension) {
        Conn c = connect(extension);
        c.session.handleEstablished(key);
        return c;
    }

    /**
     * A new connection of the relay's own protocol whose handshake completed with a key of 32 bytes {@code keyByte}.
     *
     * @param keyByte the key's every byte
     * @return the connection
     */
    public Conn established(int keyByte) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) keyByte);
        return established(key, ProtocolExtension.NONE);
    }

    /**
     * A new connection, before its handshake completed.
     *
     * @param extension its variant
     * @return the connection
     */
    public Conn connect(ProtocolExtension extension) {
        Conn c = new Conn(extension);
        connections.add(c);
        return c;
    }

    /**
     * A connection of the relay's own protocol, admitted with this nickname; its Welcome is consumed.
     *
     * @param nickname the nickname
     * @param keyByte its key's every byte
     * @return the connection
     */
    public Conn admitted(String nickname, int keyByte) {
        return admit(established(keyByte), nickname);
    }

    /**
     * Admits an established connection; its Welcome is consumed.
     *
     * @param c the connection
     * @param nickname the nickname
     * @return {@code c}
     */
    public Conn admit(Conn c, String nickname) {
        c.send(new ClientHello(nickname, "test/1"));
        Message welcome = c.next();
        if (!(welcome instanceof Welcome w) || !w.nickname().equals(nickname)) {
            throw new AssertionError("expected a Welcome for " + nickname + ", got " + welcome);
        }
        return c;
    }

    /**
     * Releases an account as the relay's operator does (in the store, and in the relay's look-alike index).
     *
     * @param nickname the account's nickname
     */
    public void releaseAccount(String nickname) {
        String canonical = Nickname.canonical(nickname);
        relay.store().accounts().releaseByOperator(canonical).toCompletableFuture().join();
        relay.accountNames().released(canonical);
    }

    /** Carries out every session's actions, and runs the executors' tasks, until nothing is left. */
    public void pump() {
        boolean busy = true;
        while (busy) {
            busy = false;
            for (Conn c : List.copyOf(connections)) {
                for (RelayAction<Conn> a; (a = c.session.poll()) != null; ) {
                    busy = true;
                    c.carryOut(a);
                }
            }
            for (Runnable task; (task = tasks.poll()) != null; ) {
                busy = true;
                task.run();
            }
        }
    }

    /**
     * Moves the clock, and hands the relay's deadlines and each session their timeout if one is due.
     *
     * @param d how far
     */
    public void advance(Duration d) {
        clock.advance(d);
        Instant now = clock.instant();
        if (relay.deadlines().pollTimeout().filter(t -> !t.isAfter(now)).isPresent()) {
            relay.deadlines().handleTimeout(now);
        }
        for (Conn c : List.copyOf(connections)) {
            if (c.session.pollTimeout().filter(t -> !t.isAfter(now)).isPresent()) {
                c.session.handleTimeout(now);
            }
        }
        pump();
    }

    /** Tells every session the relay is shutting down, as the server does. */
    public void shutDown() {
        relay.beginShutdown();
        for (Conn c : List.copyOf(connections)) {
            c.session.handleShutdown();
        }
        pump();
    }

    /** One connection: its session, and what its client was sent. */
    public final class Conn {
        /** The session. */
        public final RelaySession<Conn> session;
        /** What the client was sent and has not read yet. */
        private final ArrayDeque<Message> received = new ArrayDeque<>();
        /** The outcome reports of writes that have not completed (the connection is stalled): they fail at close. */
        private final List<Runnable> unfinished = new ArrayList<>();
        private boolean open = true;
        private boolean outputShut;
        /** Whether the connection's outbound queue is past its limit (a forward to it is {@code QUEUE_FULL}). */
        public boolean queueFull;
        /** Whether nothing written to the connection ever drains: writes neither complete nor fail. */
        public boolean stalled;
        /** The senders on other nodes whose share of this connection's fair queue is full (their writes refused). */
        public final Set<RemoteSender> fullShares = new HashSet<>();
        /** The senders of the messages routed to this connection from other nodes, in the order they came. */
        public final List<RemoteSender> routedFrom = new ArrayList<>();

        Conn(ProtocolExtension extension) {
            session = new RelaySession<>(relay, this, tasks::add, extension, clock.instant());
        }

        /**
         * The client sends a message; then the relay pumps.
         *
         * @param m the message
         */
        public void send(Message m) {
            session.handleMessage(m);
            pump();
        }

        /**
         * The next message the client was sent.
         *
         * @return the message, or {@code null} if none is waiting
         */
        public Message next() {
            return received.poll();
        }

        /**
         * Every message the client was sent and has not read yet.
         *
         * @return the messages, in order
         */
        public List<Message> drain() {
            List<Message> all = new ArrayList<>(received);
            received.clear();
            return all;
        }

        /**
         * Whether the connection is open.
         *
         * @return {@code false} once closed
         */
        public boolean isOpen() {
            return open;
        }

        /**
         * Whether the relay shut down its output (a half-close), the connection being still open.
         *
         * @return {@code true} after a half-close
         */
        public boolean isOutputShut() {
            return outputShut;
        }

        /** The client closes its end, or the network fails: the relay's side closes. */
        public void clientCloses() {
            close();
            pump();
        }

        private boolean write(Message m) {
            if (!open || outputShut) {
                return false;
            }
            if (!stalled) {
                received.add(m);
            }
            return true;
        }

        private void close() {
            if (open) {
                open = false;
                tasks.addAll(unfinished);
                unfinished.clear();
                session.handleTransportClosed();
            }
        }

        void carryOut(RelayAction<Conn> action) {
            if (action instanceof Send<Conn> send) {
                write(send.message());
            } else if (action instanceof SendLast<Conn> last) {
                if (!write(last.message())) {
                    close();
                } else if (!stalled) {
                    if (last.then() == Ending.CLOSE) {
                        close();
                    } else {
                        outputShut = true;
                    }
                }
            } else if (action instanceof Close<Conn>) {
                close();
            } else if (action instanceof Forward<Conn> forward) {
                Conn to = forward.recipient().connection();
                if (to.open && to.queueFull) {
                    session.handleDeliveryOutcome(forward, DeliveryOutcome.QUEUE_FULL);
                } else {
                    boolean written = to.write(forward.message());
                    if (written && to.stalled) {
                        to.unfinished.add(() -> session.handleDeliveryOutcome(forward,
                                DeliveryOutcome.CONNECTION_CLOSED));
                    } else {
                        DeliveryOutcome outcome =
                                written ? DeliveryOutcome.DELIVERED : DeliveryOutcome.CONNECTION_CLOSED;
                        tasks.add(() -> session.handleDeliveryOutcome(forward, outcome));
                    }
                }
            } else if (action instanceof RelayAction.SendRouted<Conn> routed) {
                // As the adapter's fair queue: one sender's full share refuses only that sender's message.
                routedFrom.add(routed.sender());
                if (open && fullShares.contains(routed.sender())) {
                    routed.outcome().accept(DeliveryOutcome.NO_ROOM_FOR_SENDER);
                } else {
                    routed.outcome().accept(write(routed.message()) ? DeliveryOutcome.DELIVERED
                            : DeliveryOutcome.CONNECTION_CLOSED);
                }
            } else if (action instanceof Announce<Conn> announce) {
                for (RelaySession<Conn> r : announce.recipients()) {
                    r.connection().write(announce.message());
                }
            } else if (action instanceof DisconnectOther<Conn> other) {
                tasks.add(() -> other.session().handlePolicyDisconnect(other.disconnect()));
            } else if (action instanceof Report<Conn> report) {
                report.event().tell(relay.listener());
            }
        }
    }
}
