package io.securecomm.internal.relay;

import io.securecomm.e2e.E2eException;
import io.securecomm.internal.relay.ClientRegistry.Admission;
import io.securecomm.internal.relay.ClientRegistry.Member;
import io.securecomm.internal.relay.RelayAction.Announce;
import io.securecomm.internal.relay.RelayAction.ClientJoined;
import io.securecomm.internal.relay.RelayAction.ClientLeft;
import io.securecomm.internal.relay.RelayAction.Close;
import io.securecomm.internal.relay.RelayAction.DisconnectOther;
import io.securecomm.internal.relay.RelayAction.Ending;
import io.securecomm.internal.relay.RelayAction.EnvelopeForwarded;
import io.securecomm.internal.relay.RelayAction.Forward;
import io.securecomm.internal.relay.RelayAction.ListenerEvent;
import io.securecomm.internal.relay.RelayAction.Report;
import io.securecomm.internal.relay.RelayAction.Send;
import io.securecomm.internal.relay.RelayAction.SendLast;
import io.securecomm.relay.DepartureReason;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.ClientInfo;
import io.securecomm.wire.ClientList;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.Envelope;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Joined;
import io.securecomm.wire.LeaveReason;
import io.securecomm.wire.Left;
import io.securecomm.wire.Limits;
import io.securecomm.wire.ListPageRequest;
import io.securecomm.wire.ListRequest;
import io.securecomm.wire.MalformedMessageException;
import io.securecomm.wire.Message;
import io.securecomm.wire.Ping;
import io.securecomm.wire.Pong;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.PreKeyBundleResponse;
import io.securecomm.wire.PreKeyCount;
import io.securecomm.wire.RoomEnvelope;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendRoomEnvelope;
import io.securecomm.wire.UploadPreKeys;
import io.securecomm.wire.Welcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

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
 * {@link RelayAction.Forward} per recipient, whose outcome the adapter reports back
 * ({@link #handleDeliveryOutcome}). The sender gets {@link Delivered} once every recipient has it, or an
 * {@link ErrorReply} that says why not: {@code RECIPIENT_TOO_SLOW} when the relay disconnected a recipient that
 * did not read, {@code SHUTTING_DOWN} when the relay is shutting down, and for a message to one client whose
 * recipient left, {@code RECIPIENT_GONE}; a message to the room simply does not count a recipient that left on
 * its own (it is no longer online). Until the last outcome is in, the message is in flight: a shutdown waits
 * for the replies to this client's messages in flight, then says {@code Bye}.
 *
 * <p>Limits that need the relay's state are applied here: a session-starting envelope is forwarded only within its
 * recipient's allowance ({@link SessionStarts}), and bundle requests within the directory's bounds
 * ({@link PreKeyDirectory}); the request rate and the work limits are applied before, by the adapter, with the
 * {@link CostModel}.
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

    static final String SHUTTING_DOWN = "the relay is shutting down";

    private final RelayState<C> relay;
    private final C connection;
    private final Executor thread;
    private final ProtocolExtension extension;
    private final Routes routes = new Routes();
    private final ArrayDeque<RelayAction<C>> actions = new ArrayDeque<>();
    private final Map<Long, Delivery> deliveries = new HashMap<>();
    private final LinkedHashSet<BundleWait> bundleWaits = new LinkedHashSet<>();
    private long lastDeliveryId;
    private byte[] identityKey;
    private Member<RelaySession<C>> member;
    private DepartureReason departure = DepartureReason.DISCONNECTED;
    private Instant helloDeadline;
    private Instant graceDeadline;
    private boolean byeAfterDeliveries;
    private boolean closing;
    private boolean closed;
    /** Why the relay ended this session, for the senders whose messages to it then fail; null while it runs. */
    private volatile ByeReason endReason;

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
        this.relay = Objects.requireNonNull(relay, "relay");
        this.connection = Objects.requireNonNull(connection, "connection");
        this.thread = Objects.requireNonNull(thread, "thread");
        this.extension = Objects.requireNonNull(extension, "extension");
        this.helloDeadline = connectedAt.plus(relay.options().handshakeTimeout());
    }

    /**
     * The adapter's handle of this connection. Safe from any thread.
     *
     * @return the handle given at construction
     */
    public C connection() {
        return connection;
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
        if (closing) {
            return;
        }
        if (member == null) {
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
        if (!closing) {
            refuse(ErrorCode.MALFORMED_MESSAGE, "the relay could not parse your message: " + cause.getMessage());
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
        Delivery delivery = deliveries.get(forward.deliveryId());
        if (delivery == null) {
            throw new IllegalArgumentException("delivery " + forward.deliveryId() + " is not in flight here");
        }
        ErrorCode failure = switch (outcome) {
            case DELIVERED -> null;
            case QUEUE_FULL -> {
                // Writing would make the relay buffer without bound for the recipient: it goes instead. Its own
                // limit handler usually got there first; this covers a sender that saw the full queue before.
                actions.add(new DisconnectOther<>(forward.recipient(), new Disconnect(ByeReason.TOO_SLOW,
                        "you read too slowly to keep up with the relay's traffic; your unread messages exceeded"
                                + " the relay's limit")));
                yield ErrorCode.RECIPIENT_TOO_SLOW;
            }
            case CONNECTION_CLOSED -> failureOf(forward.recipient());
        };
        if (delivery.record(failure, outcome)) {
            deliveries.remove(forward.deliveryId());
            send(delivery.reply());
            if (byeAfterDeliveries && deliveries.isEmpty() && !closing) {
                closeWith(new Bye(ByeReason.SERVER_SHUTDOWN, SHUTTING_DOWN));
            }
        }
    }

    /**
     * A limit demands that this session end (too slow, rate limited, idle): the client stops being routed to at
     * once, its departure is announced, and it is told goodbye; the connection then half-closes, and closes when
     * the client closes or {@link #LAST_MESSAGE_GRACE} has passed.
     *
     * @param disconnect which limit, and one line for the client
     */
    public void handlePolicyDisconnect(Disconnect disconnect) {
        if (closing) {
            return;
        }
        endReason = disconnect.reason();
        leave(switch (disconnect.reason()) {
            case TOO_SLOW -> DepartureReason.TOO_SLOW;
            case RATE_LIMITED -> DepartureReason.RATE_LIMITED;
            case IDLE_TIMEOUT -> DepartureReason.TIMED_OUT;
            default -> throw new IllegalStateException("not a limit's reason: " + disconnect.reason());
        });
        if (identityKey == null) {
            close();
            return;
        }
        // A lingering close: say goodbye, then only half-close (see Ending.HALF_CLOSE). What the client sends
        // meanwhile is read and ignored.
        sendLast(new Bye(disconnect.reason(), clip(disconnect.detail())), Ending.HALF_CLOSE);
    }

    /**
     * The relay is shutting down ({@link RelayState#beginShutdown()} was called): the replies to this client's
     * messages in flight go out first, then {@code Bye(SERVER_SHUTDOWN)}.
     */
    public void handleShutdown() {
        if (closing) {
            return; // already saying goodbye for another reason
        }
        if (departure == DepartureReason.DISCONNECTED) {
            departure = DepartureReason.RELAY_SHUTDOWN;
        }
        if (identityKey == null) {
            close();
        } else if (deliveries.isEmpty()) {
            closeWith(new Bye(ByeReason.SERVER_SHUTDOWN, SHUTTING_DOWN));
        } else {
            byeAfterDeliveries = true;
        }
    }

    /**
     * The connection closed, for whatever reason: the client leaves, and its departure is announced once.
     * Nothing more is sent to it; deliveries in flight still report their outcomes.
     */
    public void handleTransportClosed() {
        if (closed) {
            return;
        }
        closed = true;
        closing = true;
        helloDeadline = null;
        graceDeadline = null;
        for (BundleWait wait : bundleWaits) {
            relay.preKeys().cancel(wait.request.clientId(), wait);
        }
        bundleWaits.clear();
        if (member != null) {
            leave(departure);
            // After the removal: a bundle request that waited for this client is answered "gone", not "no keys".
            relay.preKeys().remove(member.clientId());
            relay.sessionStarts().remove(member.clientId());
        }
    }

    /**
     * When {@link #handleTimeout} is next due.
     *
     * @return the earliest deadline, or empty if none is set
     */
    public Optional<Instant> pollTimeout() {
        Instant next = earliest(helloDeadline, graceDeadline);
        if (!bundleWaits.isEmpty()) {
            next = earliest(next, bundleWaits.iterator().next().deadline);
        }
        return Optional.ofNullable(next);
    }

    /**
     * Time has passed: a client that did not say hello in time is disconnected, a last message that is still
     * not written after its grace is given up, and a pre-key request that waited too long is answered.
     *
     * @param now the current time of {@link RelayState#clock()}
     */
    public void handleTimeout(Instant now) {
        if (helloDeadline != null && !now.isBefore(helloDeadline)) {
            helloDeadline = null;
            if (member == null) {
                close();
            }
        }
        if (graceDeadline != null && !now.isBefore(graceDeadline)) {
            graceDeadline = null;
            close();
        }
        List<BundleWait> expired = new ArrayList<>();
        for (BundleWait wait : bundleWaits) {
            if (now.isBefore(wait.deadline)) {
                break; // the waits are in deadline order
            }
            expired.add(wait);
        }
        for (BundleWait wait : expired) {
            bundleWaits.remove(wait);
            if (relay.preKeys().cancel(wait.request.clientId(), wait) && wait.answered.compareAndSet(false, true)) {
                bundleGone(wait);
            }
        }
    }

    // ---------------------------------------------------------------- outputs

    /**
     * The next thing to do.
     *
     * @return the next action, or {@code null} if there is none
     */
    public RelayAction<C> poll() {
        return actions.poll();
    }

    // ---------------------------------------------------------------- the protocol

    private void beforeAdmission(Message message) {
        switch (message.type()) {
            case CLIENT_HELLO -> admit((ClientHello) message);
            case PING -> send(new Pong(((Ping) message).nonce()));
            case BYE -> close();
            default -> refuse(ErrorCode.PROTOCOL_VIOLATION, "send ClientHello first, got " + message.type());
        }
    }

    private void afterAdmission(Message message) {
        long newWork = RequestIds.ofNewWork(message);
        if (relay.isShuttingDown() && newWork != 0) {
            send(new ErrorReply(newWork, ErrorCode.SHUTTING_DOWN, SHUTTING_DOWN + " and accepts no new messages"));
            return;
        }
        switch (message.type()) {
            case SEND_ENVELOPE -> {
                SendEnvelope send = (SendEnvelope) message;
                byte[] ciphertext = send.ciphertext();
                if (SessionStarts.startsSession(ciphertext) && relay.registry().byId(send.recipientId()).isPresent()
                        && !relay.sessionStarts().admit(member.clientId(), send.recipientId())) {
                    send(new ErrorReply(send.requestId(), ErrorCode.RATE_LIMITED,
                            clip(SessionStarts.refusal(send.recipientId()))));
                    return;
                }
                report(new EnvelopeForwarded(member.clientId(), false, ciphertext.length));
                forwardToOne(send.requestId(), send.recipientId(), new Envelope(member.clientId(), ciphertext));
            }
            case SEND_ROOM_ENVELOPE -> {
                SendRoomEnvelope send = (SendRoomEnvelope) message;
                byte[] ciphertext = send.ciphertext();
                report(new EnvelopeForwarded(member.clientId(), true, ciphertext.length));
                // One ciphertext for the members the sender knows of (so holds a key for).
                forwardToMany(send.requestId(), new RoomEnvelope(member.clientId(), ciphertext),
                        listed(send.recipientIds()));
            }
            case UPLOAD_PRE_KEYS -> upload((UploadPreKeys) message);
            case PRE_KEY_BUNDLE_REQUEST -> requestBundle((PreKeyBundleRequest) message);
            case LIST_REQUEST -> list((ListRequest) message);
            case LIST_PAGE_REQUEST -> send(ListPages.answer(relay.registry(), relay.room(),
                    (ListPageRequest) message));
            case PING -> send(new Pong(((Ping) message).nonce()));
            case BYE -> {
                departure = DepartureReason.LEFT;
                close();
            }
            case SEND_PUBLIC, SEND_PRIVATE -> {
                if (!extension.handle(message, routes)) {
                    // Chat in plaintext would let this relay read it.
                    refuse(ErrorCode.PROTOCOL_VIOLATION, message.type() + " is plaintext chat, which this relay"
                            + " does not accept here; send end-to-end envelopes (SendEnvelope, SendRoomEnvelope)");
                }
            }
            default -> {
                if (!extension.handle(message, routes)) {
                    refuse(ErrorCode.PROTOCOL_VIOLATION, "a client may not send " + message.type() + " now");
                }
            }
        }
    }

    private void admit(ClientHello hello) {
        if (relay.isShuttingDown()) {
            closeWith(new Bye(ByeReason.SERVER_SHUTDOWN, SHUTTING_DOWN));
            return;
        }
        Admission<RelaySession<C>> admission = relay.registry().admit(hello.nickname(), identityKey, this);
        if (admission instanceof Admission.Refused<RelaySession<C>> refused) {
            refuse(switch (refused.reason()) {
                case INVALID_NICKNAME -> ErrorCode.INVALID_NICKNAME;
                case NICKNAME_TAKEN, LOOKS_LIKE_ANOTHER -> ErrorCode.NICKNAME_TAKEN;
                case RELAY_FULL -> ErrorCode.SERVER_FULL;
            }, refused.detail());
            return;
        }
        member = ((Admission.Admitted<RelaySession<C>>) admission).member();
        helloDeadline = null;
        // The rate limit goes with the welcome, so the client paces itself to it instead of being held back.
        send(new Welcome(member.clientId(), member.nickname(), relay.options().serverInfo(),
                relay.options().rateLimit().messagesPerSecond(), relay.options().rateLimit().burstMessages()));
        ClientInfo joined = new ClientInfo(member.clientId(), member.nickname(), identityKey);
        report(new ClientJoined(joined));
        // Only the room hears of a join, and only of a member's: a join costs at most the room's size in writes.
        if (relay.room().enter(member)) {
            actions.add(new Announce<>(sessions(relay.room().othersThan(member.clientId())), new Joined(joined)));
        }
    }

    /** The room's members, to a member; to a client outside the room, an empty room (it has no one to talk to). */
    private void list(ListRequest request) {
        List<ClientInfo> clients = new ArrayList<>();
        List<Member<RelaySession<C>>> members = relay.room().contains(member.clientId())
                ? relay.room().members() : List.of();
        for (Member<RelaySession<C>> m : members) {
            if (clients.size() == Limits.CLIENT_LIST_MAX_ENTRIES) {
                break;
            }
            clients.add(new ClientInfo(m.clientId(), m.nickname(), m.identityKey()));
        }
        send(new ClientList(request.requestId(), clients));
    }

    /**
     * Removes the admitted client from the relay, tells the listener why it left and, unless the relay is shutting
     * down (everyone is told goodbye then), the other clients. Only the first call of a session does it.
     *
     * <p>The listener hears of every departure, shutdown or not: a client's goodbye and the relay's shutdown race
     * (the client's {@code close()} returns once its goodbye is written, before the relay has read it), and a
     * departure that depended on which came first went missing from the listener in about one run in eight.
     */
    private void leave(DepartureReason reason) {
        if (member == null || !relay.registry().remove(member)) {
            return;
        }
        boolean wasInRoom = relay.room().leave(member);
        report(new ClientLeft(member.clientId(), member.nickname(), reason));
        if (relay.isShuttingDown() || !wasInRoom) {
            return;
        }
        LeaveReason onTheWire = switch (reason) {
            case LEFT -> LeaveReason.BYE;
            case DISCONNECTED, RELAY_SHUTDOWN -> LeaveReason.DISCONNECTED; // no one is told during a shutdown
            case TIMED_OUT -> LeaveReason.TIMED_OUT;
            case TOO_SLOW, RATE_LIMITED -> LeaveReason.KICKED;
        };
        actions.add(new Announce<>(sessions(relay.room().members()),
                new Left(member.clientId(), member.nickname(), onTheWire)));
    }

    // ---------------------------------------------------------------- pre-keys

    private void upload(UploadPreKeys upload) {
        try {
            relay.preKeys().upload(member.clientId(), identityKey, upload.preKeys());
            send(new Delivered(upload.requestId()));
        } catch (E2eException e) {
            send(new ErrorReply(upload.requestId(), ErrorCode.INVALID_PRE_KEYS, clip("pre-keys refused: "
                    + e.getMessage())));
        }
    }

    /**
     * Hands out one bundle of the owner's pre-keys. A client just admitted publishes its pre-keys right after its
     * Welcome, but the others learn of it (Joined) at the Welcome: a request in between waits for the upload, up to
     * the handshake timeout.
     */
    private void requestBundle(PreKeyBundleRequest request) {
        Optional<Member<RelaySession<C>>> owner = relay.registry().byId(request.clientId());
        if (owner.isEmpty()) {
            send(new ErrorReply(request.requestId(), ErrorCode.UNKNOWN_RECIPIENT,
                    "no client with id " + request.clientId() + " is online"));
            return;
        }
        Optional<String> withoutPreKeys = owner.get().session().extension.withoutPreKeys();
        if (withoutPreKeys.isPresent()) {
            send(new ErrorReply(request.requestId(), ErrorCode.NO_PRE_KEYS,
                    "client " + request.clientId() + " " + withoutPreKeys.get()));
            return;
        }
        BundleWait wait = new BundleWait(request, owner.get().session(),
                relay.clock().instant().plus(relay.options().handshakeTimeout()));
        Optional<PreKeyDirectory.Handout> now = relay.preKeys().takeBundleOrWait(member.clientId(), request.clientId(),
                wait);
        if (now.isPresent()) {
            wait.answered.set(true);
            bundleArrived(wait, now.get());
        } else if (!wait.answered.get()) {
            bundleWaits.add(wait);
        }
    }

    private void bundleArrived(BundleWait wait, PreKeyDirectory.Handout handout) {
        bundleWaits.remove(wait);
        send(new PreKeyBundleResponse(wait.request.requestId(), wait.request.clientId(), handout.bundle().encode()));
        // Tell the owner how many one-time pre-keys are left, so it replenishes in time.
        actions.add(new Announce<>(List.of(wait.owner), new PreKeyCount(Math.min(0xFFFF, handout.remaining().oneTime()),
                Math.min(0xFFFF, handout.remaining().oneTimeKem()))));
    }

    /** The requester asked for this owner's bundles too often (PreKeyDirectory's bound): a clear refusal. */
    private void bundleRefused(BundleWait wait, String reason) {
        bundleWaits.remove(wait);
        send(new ErrorReply(wait.request.requestId(), ErrorCode.RATE_LIMITED, clip(reason)));
    }

    private void bundleGone(BundleWait wait) {
        bundleWaits.remove(wait);
        int ownerId = wait.request.clientId();
        send(relay.registry().byId(ownerId).isEmpty()
                ? new ErrorReply(wait.request.requestId(), ErrorCode.RECIPIENT_GONE,
                        "client " + ownerId + " left before publishing pre-keys")
                : new ErrorReply(wait.request.requestId(), ErrorCode.NO_PRE_KEYS,
                        "client " + ownerId + " has not published pre-keys"));
    }

    /**
     * A bundle request waiting for its owner's first upload. The directory answers it on the uploading or the
     * departing client's thread; the answer comes to this session through its executor, at most once.
     */
    private final class BundleWait implements PreKeyDirectory.Waiter {
        final PreKeyBundleRequest request;
        final RelaySession<C> owner;
        final Instant deadline;
        final AtomicBoolean answered = new AtomicBoolean();

        BundleWait(PreKeyBundleRequest request, RelaySession<C> owner, Instant deadline) {
            this.request = request;
            this.owner = owner;
            this.deadline = deadline;
        }

        @Override
        public void bundle(PreKeyDirectory.Handout handout) {
            if (answered.compareAndSet(false, true)) {
                thread.execute(() -> bundleArrived(this, handout));
            }
        }

        @Override
        public void gone() {
            if (answered.compareAndSet(false, true)) {
                thread.execute(() -> bundleGone(this));
            }
        }

        @Override
        public void refused(String reason) {
            if (answered.compareAndSet(false, true)) {
                thread.execute(() -> bundleRefused(this, reason));
            }
        }
    }

    // ---------------------------------------------------------------- forwarding

    /** What this session's extension may do: the client's identity, replies, and forwarding. */
    private final class Routes implements ProtocolExtension.Routes {
        @Override
        public int clientId() {
            return member.clientId();
        }

        @Override
        public String nickname() {
            return member.nickname();
        }

        @Override
        public void reply(Message message) {
            send(message);
        }

        @Override
        public void forwardToOne(long requestId, int recipientId, Message message) {
            RelaySession.this.forwardToOne(requestId, recipientId, message);
        }

        @Override
        public void forwardToOthers(long requestId, Message message) {
            forwardToMany(requestId, message, sessions(relay.room().contains(member.clientId())
                    ? relay.room().othersThan(member.clientId()) : List.of()));
        }
    }

    /**
     * The members a room envelope is for: those of the listed ids that are in the room now, never the sender (and no
     * one, if the sender is outside the room). An id
     * that is not online is a member that left while the message was on its way: as for a public message, it
     * simply is no longer there to count.
     */
    private List<RelaySession<C>> listed(int[] recipientIds) {
        List<RelaySession<C>> out = new ArrayList<>(recipientIds.length);
        if (!relay.room().contains(member.clientId())) {
            return out; // a client outside the room has no room to write to
        }
        for (int id : recipientIds) {
            if (id != member.clientId()) {
                relay.room().byId(id).ifPresent(m -> out.add(m.session()));
            }
        }
        return out;
    }

    private void forwardToOne(long requestId, int recipientId, Message message) {
        Optional<Member<RelaySession<C>>> recipient = relay.registry().byId(recipientId);
        if (recipient.isEmpty()) {
            send(new ErrorReply(requestId, ErrorCode.UNKNOWN_RECIPIENT, "no client with id " + recipientId
                    + " is online"));
            return;
        }
        long id = ++lastDeliveryId;
        deliveries.put(id, Delivery.toOne(requestId, recipientId));
        actions.add(new Forward<>(recipient.get().session(), message, id));
    }

    private void forwardToMany(long requestId, Message message, List<RelaySession<C>> recipients) {
        if (recipients.isEmpty()) {
            send(new Delivered(requestId));
            return;
        }
        long id = ++lastDeliveryId;
        deliveries.put(id, Delivery.toMany(requestId, recipients.size()));
        for (RelaySession<C> recipient : recipients) {
            actions.add(new Forward<>(recipient, message, id));
        }
    }

    /** Why a write to a recipient failed, as the sender is told. */
    private ErrorCode failureOf(RelaySession<C> recipient) {
        ByeReason reason = recipient.endReason;
        if (reason == ByeReason.TOO_SLOW) {
            return ErrorCode.RECIPIENT_TOO_SLOW;
        }
        if (relay.isShuttingDown() || reason == ByeReason.SERVER_SHUTDOWN) {
            return ErrorCode.SHUTTING_DOWN;
        }
        return ErrorCode.RECIPIENT_GONE;
    }

    // ---------------------------------------------------------------- ending

    /** Answers with an error, then closes the connection. */
    private void refuse(ErrorCode code, String detail) {
        sendLast(new ErrorReply(0, code, clip(detail)), Ending.CLOSE);
    }

    private void closeWith(Bye bye) {
        if (endReason == null) {
            endReason = bye.reason();
        }
        sendLast(bye, Ending.CLOSE);
    }

    /**
     * Sends a last message and ends the connection, at the latest after {@link #LAST_MESSAGE_GRACE}, since a peer
     * that has stopped reading never drains it. From here on the client is not listened to.
     */
    private void sendLast(Message last, Ending then) {
        closing = true;
        actions.add(new SendLast<>(last, then));
        graceDeadline = relay.clock().instant().plus(LAST_MESSAGE_GRACE);
    }

    private void close() {
        closing = true;
        actions.add(new Close<>());
    }

    private void send(Message message) {
        if (!closed) {
            actions.add(new Send<>(message));
        }
    }

    private void report(ListenerEvent event) {
        actions.add(new Report<>(event));
    }

    private static <C> List<RelaySession<C>> sessions(List<Member<RelaySession<C>>> members) {
        List<RelaySession<C>> out = new ArrayList<>(members.size());
        for (Member<RelaySession<C>> m : members) {
            out.add(m.session());
        }
        return out;
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null || (b != null && b.isBefore(a)) ? b : a;
    }

    /** Shortens a detail to the wire's cap, at a character boundary. */
    static String clip(String detail) {
        String s = detail == null ? "" : detail;
        while (s.getBytes(StandardCharsets.UTF_8).length > Limits.INFO_FIELD_MAX_BYTES) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    @Override
    public String toString() {
        return "RelaySession[" + (member == null ? "not admitted" : "client " + member.clientId()) + "]";
    }
}
