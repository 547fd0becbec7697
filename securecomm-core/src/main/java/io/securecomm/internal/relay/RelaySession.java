package io.securecomm.internal.relay;

import io.securecomm.internal.limits.RecipientShares;
import io.securecomm.internal.relay.ClientRegistry.Member;
import io.securecomm.internal.relay.RelayAction.Ending;
import io.securecomm.internal.relay.RelayAction.Forward;
import io.securecomm.relay.DepartureReason;
import io.securecomm.relay.WorkLimit;
import io.securecomm.relay.cluster.RouteOutcome;
import io.securecomm.relay.cluster.RoutedMessage;
import io.securecomm.wire.AccountBundleRequest;
import io.securecomm.wire.AccountHello;
import io.securecomm.wire.AckStored;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.ListPageRequest;
import io.securecomm.wire.ListRequest;
import io.securecomm.wire.MalformedMessageException;
import io.securecomm.wire.Message;
import io.securecomm.wire.Ping;
import io.securecomm.wire.Pong;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.ReleaseAccount;
import io.securecomm.wire.RoomEnvelope;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendRoomEnvelope;
import io.securecomm.wire.SendToAccount;
import io.securecomm.wire.UploadPreKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The relay's side of one connection, without I/O: everything the relay decides for a client, from its
 * handshake to its departure. It admits the client on its {@link ClientHello}, answers list requests, stores
 * and hands out pre-keys, forwards end-to-end envelopes with the delivery guarantee, announces joins and
 * departures, ends the session when a limit demands it, and says goodbye when the relay shuts down. It never
 * decrypts an envelope: it holds no key that could.
 *
 * <p>The shape is quinn-proto's connection: inputs go in through the {@code handle...} methods; what to do comes
 * out of {@link #poll()} as {@link RelayAction}s (messages for this client, the end of the connection, messages
 * for other connections, reports for the operator's listener); time comes in through {@link #handleTimeout}
 * whenever {@link #pollTimeout()} says, and deadlines are read from the {@link RelayState#clock()}. The adapter
 * carries out every action after each input, in order.
 *
 * <p>Delivery (docs/PROTOCOL.md, "Delivery guarantee"): a message to forward becomes one
 * {@link RelayAction.Forward} per recipient, whose outcome the adapter reports back ({@link #handleDeliveryOutcome});
 * the sender gets {@link Delivered} once every recipient has it, or an {@link ErrorReply} that says why not. A
 * shutdown waits for the replies to this client's messages in flight, then says {@code Bye}. Accounts and stored
 * messages (docs/PROTOCOL.md 6.5, docs/STORE.md): the hello registers the nickname to the client's key in the store
 * before the client is admitted; a {@link SendToAccount} goes live or to the store; a client that said
 * {@link AccountHello} is sent what was stored for it after its welcome. Every store operation completes on the
 * store's thread and comes back to this session through its executor; nothing waits for the store here. Limits that
 * need the relay's state ({@link SessionStarts}, {@link PreKeyDirectory}) are applied here; the request rate and the
 * work limits before, by the adapter, with the {@link CostModel}.
 *
 * <p>Reading order: this class takes every input and hands each message, by its type, to one collaborator with
 * one job: {@code SessionAccount} (the hello's account in the store, and its release), {@code Membership}
 * (admission with the welcome, departure, and their announcements), {@code Forwarding} (envelopes to clients online
 * and to the room, with the delivery guarantee), {@code AccountSends} (messages to accounts, live or stored),
 * {@code StoredInbox} (what is stored for this client, and its acknowledgements), {@code PreKeyRequests} (uploads and
 * bundle requests), {@code ListPages} (lists), and {@code SessionOutput} (the actions in order, and how the session
 * ends). The order of the hello, the endings by limits and the shutdown drain stay here.
 *
 * <p>Failure isolation: a malformed message or a protocol violation ends this connection only, answered first
 * over the still-working encrypted channel.
 *
 * <p>Threads: not thread-safe. Every {@code handle...} method, {@link #poll()} and {@link #pollTimeout()} run on
 * the connection's own thread. Other threads reach the session only through its executor (the adapter's delivery
 * outcomes, and answers to this client's pre-key requests); {@link #connection()} and the state that other
 * sessions read are safe from any thread.
 *
 * @param <C> the adapter's handle of a connection (the Netty adapter's {@code Channel})
 */
public final class RelaySession<C> {
    /**
     * How long a last message (a goodbye, a refusal) may take to be written before the connection is cut: a
     * client that does not read would otherwise keep its queue, and its place, for ever.
     */
    public static final Duration LAST_MESSAGE_GRACE = Duration.ofSeconds(1);

    /** How many messages a client may send while the relay checks its account; more is a protocol violation. */
    static final int MAX_EARLY_MESSAGES = 64;

    /**
     * Each recipient's room deliveries are shared among the sending addresses: one address may spend at most this
     * fraction of its work allowance (burst and rate) on one recipient's room envelopes (docs/SECURITY.md 4.2).
     */
    static final int RECIPIENT_SHARE_DIVISOR = 16;

    private final RelayState<C> relay;
    private final C connection;
    private final Object senderGroup;
    private final RecipientShares roomShares;
    private final ProtocolExtension extension;
    private final Executor thread;
    private final SessionOutput<C> out;
    private final SessionAccount<C> account;
    private final Membership<C> membership;
    private final Forwarding<C> forwarding;
    private final AccountSends<C> accountSends;
    private final StoredInbox<C> storedInbox;
    private final PreKeyRequests<C> preKeys;
    private final ProtocolExtension.Routes routes;
    /** The messages the client sent while the store checks its account: handled once it is admitted. */
    private final List<Message> early = new ArrayList<>();
    private byte[] identityKey;
    private DepartureReason departure = DepartureReason.DISCONNECTED;
    private Instant helloDeadline;
    private boolean byeAfterDeliveries;
    /** The account was checked, and the cluster is asked to put the client online: its messages wait. */
    private boolean joining;

    /**
     * Creates the session of a new connection. The client must send its hello within the relay's handshake
     * timeout, counted from {@code connectedAt}.
     *
     * @param relay the state shared by the relay's sessions
     * @param connection the adapter's handle of this connection, which the actions of other sessions name
     * @param thread runs a task on this connection's own thread, then carries out the session's actions; the
     *     only way other threads reach the session
     * @param extension what this connection's variant adds to the protocol ({@link ProtocolExtension#NONE})
     * @param connectedAt when the connection was accepted
     */
    public RelaySession(RelayState<C> relay, C connection, Executor thread, ProtocolExtension extension,
            Instant connectedAt) {
        this(relay, connection, connection, thread, extension, connectedAt);
    }

    /**
     * Creates the session of a new connection that belongs to a group of senders: the connections of one remote
     * address (an IPv4 address or an IPv6 /64), which share one share of each recipient's room deliveries.
     *
     * @param relay the state shared by the relay's sessions
     * @param connection the adapter's handle of this connection, which the actions of other sessions name
     * @param senderGroup the group this connection sends as (its address's key), compared with {@code equals}
     * @param thread runs a task on this connection's own thread, then carries out the session's actions; the
     *     only way other threads reach the session
     * @param extension what this connection's variant adds to the protocol ({@link ProtocolExtension#NONE})
     * @param connectedAt when the connection was accepted
     */
    public RelaySession(RelayState<C> relay, C connection, Object senderGroup, Executor thread,
            ProtocolExtension extension, Instant connectedAt) {
        this.relay = Objects.requireNonNull(relay, "relay");
        this.connection = Objects.requireNonNull(connection, "connection");
        this.senderGroup = Objects.requireNonNull(senderGroup, "senderGroup");
        WorkLimit work = relay.options().workLimit();
        this.roomShares = RecipientShares.fractionOf(work.addressBurstMicros(), work.addressMicrosPerSecond(),
                RECIPIENT_SHARE_DIVISOR);
        Objects.requireNonNull(thread, "thread");
        this.extension = Objects.requireNonNull(extension, "extension");
        this.helloDeadline = connectedAt.plus(relay.options().handshakeTimeout());
        this.out = new SessionOutput<>(relay.clock());
        this.account = new SessionAccount<>(relay, out, thread);
        this.thread = thread;
        this.membership = new Membership<>(relay, this, out, thread);
        this.forwarding = new Forwarding<>(relay, this, out, thread);
        this.accountSends = new AccountSends<>(relay, this, out, thread);
        this.storedInbox = new StoredInbox<>(relay, this, out, thread);
        this.preKeys = new PreKeyRequests<>(relay, this, out, thread);
        this.routes = forwarding.routes();
    }

    /**
     * The adapter's handle of this connection. Safe from any thread.
     *
     * @return the handle given at construction
     */
    public C connection() {
        return connection;
    }

    /**
     * The group this connection sends as: its remote address's key. Safe from any thread.
     *
     * @return the group given at construction (the connection itself if none was)
     */
    public Object senderGroup() {
        return senderGroup;
    }

    /** The shares of this client's room deliveries among the sending groups. Safe from any thread. */
    RecipientShares roomShares() {
        return roomShares;
    }

    // ---------------------------------------------------------------- inputs

    /**
     * The connection's handshake completed.
     *
     * @param peerStaticKey the client's static public key, as the handshake authenticated it: its identity
     */
    public void handleEstablished(byte[] peerStaticKey) {
        identityKey = peerStaticKey.clone();
    }

    /**
     * A message from the client.
     *
     * @param message the decoded message
     * @throws IllegalStateException if the handshake has not completed
     */
    public void handleMessage(Message message) {
        if (identityKey == null) {
            throw new IllegalStateException("a message before the handshake completed");
        }
        if (out.closing()) {
            return;
        }
        if (account.checking() || joining) {
            if (early.size() == MAX_EARLY_MESSAGES) {
                out.refuse(ErrorCode.PROTOCOL_VIOLATION, "more than " + MAX_EARLY_MESSAGES
                        + " messages before Welcome");
            } else {
                early.add(message);
            }
        } else if (membership.member() == null) {
            beforeAdmission(message);
        } else {
            afterAdmission(message);
        }
    }

    /**
     * An authentic record from the client that is not a valid message: answered, then the connection closes.
     *
     * @param cause what the codec found wrong
     */
    public void handleMalformed(MalformedMessageException cause) {
        if (!out.closing()) {
            out.refuse(ErrorCode.MALFORMED_MESSAGE, "the relay could not parse your message: " + cause.getMessage());
        }
    }

    /**
     * What became of one of this session's {@link RelayAction.Forward}s.
     *
     * @param forward the action, as {@link #poll()} gave it
     * @param outcome what became of it
     * @throws IllegalArgumentException if the forward is not one of this session's deliveries in flight
     */
    public void handleDeliveryOutcome(Forward<C> forward, DeliveryOutcome outcome) {
        if (!accountSends.outcome(forward, outcome)) {
            forwarding.outcome(forward, outcome);
        }
        byeIfDone();
    }

    /**
     * A limit demands that this session end (too slow, rate limited, idle): the client stops being routed to at
     * once, its departure is announced, and it is told goodbye; the connection then half-closes, and closes when
     * the client closes or {@link #LAST_MESSAGE_GRACE} has passed.
     *
     * @param disconnect which limit, and one line for the client
     */
    public void handlePolicyDisconnect(Disconnect disconnect) {
        if (out.closing()) {
            return;
        }
        out.endFor(disconnect.reason());
        relay.meter().limitDisconnected(disconnect.limit());
        membership.leave(disconnect.departure());
        if (identityKey == null) {
            out.close();
            return;
        }
        // A lingering close: say goodbye, then only half-close (see Ending.HALF_CLOSE). What the client sends
        // meanwhile is read and ignored.
        out.sendLast(new Bye(disconnect.reason(), SessionOutput.clip(disconnect.detail())), Ending.HALF_CLOSE);
    }

    /**
     * The relay is shutting down ({@link RelayState#beginShutdown()} was called): the replies to this client's
     * messages in flight go out first, then {@code Bye(SERVER_SHUTDOWN)}.
     */
    public void handleShutdown() {
        if (out.closing()) {
            return; // already saying goodbye for another reason
        }
        if (departure == DepartureReason.DISCONNECTED) {
            departure = DepartureReason.RELAY_SHUTDOWN;
        }
        if (identityKey == null) {
            out.close();
        } else {
            byeAfterDeliveries = true;
            byeIfDone();
        }
    }

    /**
     * The connection closed, for whatever reason: the client leaves, and its departure is announced once.
     * Nothing more is sent to it; deliveries in flight still report their outcomes.
     */
    public void handleTransportClosed() {
        if (out.closed()) {
            return;
        }
        out.transportClosed();
        helloDeadline = null;
        preKeys.cancelAll();
        membership.transportClosed(departure);
    }

    /**
     * When {@link #handleTimeout} is next due.
     *
     * @return the earliest deadline, or empty if none is set
     */
    public Optional<Instant> pollTimeout() {
        Instant next = earliest(earliest(helloDeadline, out.graceDeadline()), storedInbox.retryDeadline());
        return Optional.ofNullable(earliest(next, preKeys.nextDeadline()));
    }

    /**
     * Time has passed: a client that did not say hello in time is disconnected, a last message that is still
     * not written after its grace is given up, a failed read of stored messages is tried again, and a pre-key
     * request that waited too long is answered.
     *
     * @param now the current time of {@link RelayState#clock()}
     */
    public void handleTimeout(Instant now) {
        if (helloDeadline != null && !now.isBefore(helloDeadline)) {
            helloDeadline = null;
            if (membership.member() == null) {
                out.close();
            }
        }
        out.handleTimeout(now);
        storedInbox.handleTimeout(now);
        preKeys.handleTimeout(now);
    }

    // ---------------------------------------------------------------- outputs

    /**
     * The next thing to do.
     *
     * @return the next action, or {@code null} if there is none
     */
    public RelayAction<C> poll() {
        return out.poll();
    }

    // ---------------------------------------------------------------- the protocol

    private void beforeAdmission(Message message) {
        switch (message.type()) {
            case CLIENT_HELLO -> hello(((ClientHello) message).nickname(), false);
            case ACCOUNT_HELLO -> hello(((AccountHello) message).nickname(), true);
            case PING -> out.send(new Pong(((Ping) message).nonce()));
            case BYE -> out.close();
            default -> out.refuse(ErrorCode.PROTOCOL_VIOLATION, "send ClientHello first, got " + message.type());
        }
    }

    private void afterAdmission(Message message) {
        long newWork = RequestIds.ofNewWork(message);
        if (relay.isShuttingDown() && newWork != 0) {
            out.send(new ErrorReply(newWork, ErrorCode.SHUTTING_DOWN, SessionOutput.SHUTTING_DOWN
                    + " and accepts no new messages"));
            return;
        }
        switch (message.type()) {
            case SEND_ENVELOPE -> forwarding.envelope((SendEnvelope) message);
            case SEND_ROOM_ENVELOPE -> forwarding.roomEnvelope((SendRoomEnvelope) message);
            case SEND_TO_ACCOUNT -> accountSends.send((SendToAccount) message);
            case ACK_STORED -> storedInbox.acknowledge((AckStored) message);
            case ACCOUNT_BUNDLE_REQUEST -> preKeys.requestByAccount((AccountBundleRequest) message);
            case RELEASE_ACCOUNT -> account.release((ReleaseAccount) message, identityKey);
            case UPLOAD_PRE_KEYS -> preKeys.upload((UploadPreKeys) message);
            case PRE_KEY_BUNDLE_REQUEST -> preKeys.request((PreKeyBundleRequest) message);
            case LIST_REQUEST -> out.send(ListPages.firstPage(relay.room(), relay.cluster(), member().clientId(),
                    (ListRequest) message));
            case LIST_PAGE_REQUEST -> out.send(ListPages.answer(relay.registry(), relay.room(), relay.cluster(),
                    (ListPageRequest) message));
            case PING -> out.send(new Pong(((Ping) message).nonce()));
            case BYE -> {
                departure = DepartureReason.LEFT;
                out.close();
            }
            case SEND_PUBLIC, SEND_PRIVATE -> {
                if (!extension.handle(message, routes)) {
                    // Chat in plaintext would let this relay read it.
                    out.refuse(ErrorCode.PROTOCOL_VIOLATION, message.type() + " is plaintext chat, which this relay"
                            + " does not accept here; send end-to-end envelopes (SendEnvelope, SendRoomEnvelope)");
                }
            }
            default -> {
                if (!extension.handle(message, routes)) {
                    out.refuse(ErrorCode.PROTOCOL_VIOLATION, "a client may not send " + message.type() + " now");
                }
            }
        }
    }

    /**
     * A hello: the account is checked in the store first, then the client is admitted (and put online across the
     * cluster), and then its early messages run.
     */
    private void hello(String nickname, boolean accountHello) {
        account.check(nickname, accountHello, identityKey, extension.withoutPreKeys().isPresent(),
                (admitted, newAccount) -> {
                    joining = true;
                    admit(admitted, newAccount);
                });
    }

    private void admit(String nickname, boolean newAccount) {
        storedInbox.admitted(takesStored() && account.account() != null);
        membership.admit(nickname, identityKey, welcomed -> {
            if (welcomed) {
                helloDeadline = null;
                storedInbox.catchUp();
            } else if (newAccount) {
                account.unregister(); // registered for a connection that is refused after all (a full relay)
            }
            joining = false;
            List<Message> waiting = List.copyOf(early);
            early.clear();
            for (Message m : waiting) {
                handleMessage(m);
            }
        });
    }

    // ---------------------------------------------------------------- the cluster's inputs

    /**
     * Runs a task on this session's own thread, after which the adapter carries out its actions: how the cluster's
     * node ({@link ClusterInbound}) reaches a session. Safe from any thread.
     *
     * @param task the task
     */
    void execute(Runnable task) {
        thread.execute(task);
    }

    /**
     * A message from a client on another node for this client: written if this client can take it now, and its
     * outcome reported to {@code done} once the write completed (on whatever thread completes it).
     *
     * @param message the decoded message
     * @param routed how it came, with what a message to an account must wait for
     * @param done told the outcome, once
     */
    void handleRouted(Message message, RoutedMessage routed, Consumer<RouteOutcome> done) {
        Member<RelaySession<C>> me = membership.member();
        if (out.closing() || me == null || !membership.welcomed()) {
            ByeReason reason = out.endReason();
            done.accept(reason == ByeReason.TOO_SLOW ? RouteOutcome.RECIPIENT_TOO_SLOW
                    : reason == ByeReason.SERVER_SHUTDOWN ? RouteOutcome.SHUTTING_DOWN : RouteOutcome.RECIPIENT_GONE);
            return;
        }
        if (message instanceof RoomEnvelope && !relay.room().contains(me.clientId())) {
            done.accept(RouteOutcome.RECIPIENT_GONE);
            return;
        }
        if (routed.toAccount() && !(storedInbox.caughtUp() && storedInbox.lastSent() >= routed.lastStoredId())) {
            done.accept(RouteOutcome.NOT_LIVE); // a stored message goes first: the sender stores this one too
            return;
        }
        RemoteSender sender = new RemoteSender(routed.senderNode(), routed.senderId());
        out.sendRouted(message, sender, outcome -> done.accept(switch (outcome) {
            case DELIVERED -> RouteOutcome.DELIVERED;
            case QUEUE_FULL, NO_ROOM_FOR_SENDER -> RouteOutcome.RECIPIENT_TOO_SLOW;
            case CONNECTION_CLOSED -> RouteOutcome.RECIPIENT_GONE;
        }));
    }

    /**
     * A room member on another node came or went: this client hears of it if it is in the room (and the relay is not
     * shutting down: then everyone gets a goodbye instead).
     *
     * @param notice the {@code Joined} or {@code Left} to send
     */
    void handleRemotePresence(Message notice) {
        Member<RelaySession<C>> me = membership.member();
        if (!out.closing() && me != null && membership.welcomed() && !relay.isShuttingDown()
                && relay.room().contains(me.clientId())) {
            out.send(notice);
        }
    }

    /** During a shutdown, says goodbye once every message of this client's in flight is answered. */
    void byeIfDone() {
        if (byeAfterDeliveries && forwarding.idle() && accountSends.idle() && !out.closing()) {
            out.closeWith(new Bye(ByeReason.SERVER_SHUTDOWN, SessionOutput.SHUTTING_DOWN));
        }
    }

    // ---------------------------------------------------------------- what the collaborators read

    /** The admitted client, or {@code null} before its admission. */
    Member<RelaySession<C>> member() {
        return membership.member();
    }

    /** The client's static public key, or {@code null} before the handshake completed. */
    byte[] identityKey() {
        return identityKey;
    }

    /** The canonical nickname of the client's account, or {@code null}. */
    String account() {
        return account.account();
    }

    /** The client said AccountHello: it takes stored messages. */
    boolean takesStored() {
        return account.takesStored();
    }

    /** The session is saying goodbye, or its connection has closed. */
    boolean closing() {
        return out.closing();
    }

    /** The client has been welcomed. */
    boolean welcomed() {
        return membership.welcomed();
    }

    /** What this connection's variant adds to the protocol. */
    ProtocolExtension extension() {
        return extension;
    }

    /** The stored messages on their way to this client, which senders to its account consult. */
    StoredInbox<C> storedInbox() {
        return storedInbox;
    }

    /** Why the relay ended this session, or {@code null} while it runs. Safe from any thread. */
    ByeReason endReason() {
        return out.endReason();
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null || (b != null && b.isBefore(a)) ? b : a;
    }

    @Override
    public String toString() {
        Member<RelaySession<C>> member = membership.member();
        return "RelaySession[" + (member == null ? "not admitted" : "client " + member.clientId()) + "]";
    }
}
