package io.securecomm.internal.relay;

import io.securecomm.e2e.E2eException;
import io.securecomm.e2e.KemPreKeyKind;
import io.securecomm.e2e.PreKeyBundle;
import io.securecomm.e2e.PreKeyUpload;
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
import io.securecomm.relay.RelayMeter;
import io.securecomm.relay.store.Account;
import io.securecomm.relay.store.EnqueueResult;
import io.securecomm.relay.store.PreKeyHandout;
import io.securecomm.relay.store.PreKeyKind;
import io.securecomm.relay.store.Registration;
import io.securecomm.relay.store.Release;
import io.securecomm.relay.store.StoreException;
import io.securecomm.relay.store.StoredMessage;
import io.securecomm.wire.AccountBundle;
import io.securecomm.wire.AccountBundleRequest;
import io.securecomm.wire.AccountHello;
import io.securecomm.wire.AckStored;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.ClientInfo;
import io.securecomm.wire.ClientList;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.DeliveryReport;
import io.securecomm.wire.DeliveryState;
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
import io.securecomm.wire.Nickname;
import io.securecomm.wire.Ping;
import io.securecomm.wire.Pong;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.PreKeyBundleResponse;
import io.securecomm.wire.PreKeyCount;
import io.securecomm.wire.ReleaseAccount;
import io.securecomm.wire.RoomEnvelope;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendRoomEnvelope;
import io.securecomm.wire.SendToAccount;
import io.securecomm.wire.StoredEnvelope;
import io.securecomm.wire.UploadPreKeys;
import io.securecomm.wire.Welcome;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
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
 * <p>Accounts and stored messages (docs/PROTOCOL.md 6.5, docs/STORE.md): the hello registers the nickname to the
 * client's key in the relay's store (or is refused, if another key holds it), before the client is admitted. A
 * {@link SendToAccount} goes live when its recipient is online and has everything stored for it, and to the store
 * otherwise; a client that said {@link AccountHello} is sent what was stored for it after its welcome, at most
 * {@value #MAX_UNACKNOWLEDGED_STORED} unacknowledged at a time, and the store deletes each on the client's
 * {@link AckStored}. Every store operation completes on the store's thread and comes back to this session through its
 * executor, in order; nothing waits for the store on the connection's thread.
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

    /**
     * How many stored messages a connection may have been sent without acknowledging them; their bytes are bounded too,
     * by half the slow-reader limit, so that a drain never makes the relay cut its own recipient off as too slow.
     */
    public static final int MAX_UNACKNOWLEDGED_STORED = 1024;

    /** How many stored messages one read from the store fetches. */
    static final int STORED_PAGE = 256;

    /** How long after a failed read of stored messages the relay tries again. */
    static final Duration STORE_RETRY = Duration.ofSeconds(1);

    /** How many messages a client may send while the relay checks its account; more is a protocol violation. */
    static final int MAX_EARLY_MESSAGES = 64;

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
    // ---- the account: set by the hello
    /** The client said AccountHello: it takes stored messages and understands the account messages. */
    private boolean accountClient;
    /** The canonical nickname of this client's account, once the hello was admitted. */
    private String account;
    /** The store is checking the account; the client is not admitted yet, and its messages wait here. */
    private boolean checkingAccount;
    private final List<Message> early = new ArrayList<>();
    private boolean welcomed;
    // ---- stored messages to this client (its own thread writes; other sessions read the volatile fields)
    /** Everything stored for this client has been sent to it, as far as this session knows. */
    private volatile boolean caughtUp;
    /** The highest id of a stored message sent to this client on this connection. */
    private volatile long lastStoredSent;
    private boolean fetching;
    private boolean fetchAgain;
    /** The stored messages sent and not acknowledged: id to ciphertext bytes. */
    private final Map<Long, Integer> unacknowledged = new LinkedHashMap<>();
    private long unacknowledgedBytes;
    private Instant storeRetry;
    // ---- messages this client sends to accounts
    private final Map<Long, AccountSend> accountSends = new HashMap<>();
    /** Per recipient account, how many of this client's messages the store is storing now. */
    private final Map<String, Integer> storing = new HashMap<>();
    /** Per recipient account, the highest id the store gave a message of this connection's. */
    private final Map<String, Long> lastStoredTo = new HashMap<>();
    private int storesInFlight;
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
        if (checkingAccount) {
            if (early.size() == MAX_EARLY_MESSAGES) {
                refuse(ErrorCode.PROTOCOL_VIOLATION, "more than " + MAX_EARLY_MESSAGES + " messages before Welcome");
            } else {
                early.add(message);
            }
        } else if (member == null) {
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
        AccountSend accountSend = accountSends.remove(forward.deliveryId());
        if (accountSend != null) {
            relay.meter().messageForwarded(RelayMeter.MessageKind.PAIRWISE, switch (outcome) {
                case DELIVERED -> RelayMeter.DeliveryResult.DELIVERED;
                case QUEUE_FULL, NO_ROOM_FOR_SENDER -> RelayMeter.DeliveryResult.RECIPIENT_TOO_SLOW;
                case CONNECTION_CLOSED -> RelayMeter.DeliveryResult.RECIPIENT_GONE;
            }, Duration.between(accountSend.acceptedAt(), relay.clock().instant()));
            if (outcome == DeliveryOutcome.DELIVERED) {
                send(new DeliveryReport(accountSend.requestId, DeliveryState.DELIVERED));
                byeIfDone();
            } else {
                if (outcome == DeliveryOutcome.QUEUE_FULL) {
                    actions.add(new DisconnectOther<>(forward.recipient(), new Disconnect(ByeReason.TOO_SLOW,
                            "you read too slowly to keep up with the relay's traffic; your unread messages exceeded"
                                    + " the relay's limit")));
                }
                // The recipient left (or is being disconnected): the message waits for it in the store instead.
                store(accountSend.requestId, accountSend.recipient, accountSend.ciphertext);
            }
            return;
        }
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
            case NO_ROOM_FOR_SENDER -> ErrorCode.RECIPIENT_TOO_SLOW;
            case CONNECTION_CLOSED -> failureOf(forward.recipient());
        };
        relay.meter().messageForwarded(kindOf(forward.message()), switch (outcome) {
            case DELIVERED -> RelayMeter.DeliveryResult.DELIVERED;
            case QUEUE_FULL, NO_ROOM_FOR_SENDER -> RelayMeter.DeliveryResult.RECIPIENT_TOO_SLOW;
            case CONNECTION_CLOSED -> RelayMeter.DeliveryResult.RECIPIENT_GONE;
        }, Duration.between(delivery.acceptedAt(), relay.clock().instant()));
        if (delivery.record(failure, outcome)) {
            deliveries.remove(forward.deliveryId());
            send(delivery.reply());
            byeIfDone();
        }
    }

    /** During a shutdown, says goodbye once every message of this client's in flight is answered. */
    private void byeIfDone() {
        if (byeAfterDeliveries && deliveries.isEmpty() && accountSends.isEmpty() && storesInFlight == 0
                && !closing) {
            closeWith(new Bye(ByeReason.SERVER_SHUTDOWN, SHUTTING_DOWN));
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
        relay.meter().limitDisconnected(switch (disconnect.reason()) {
            case TOO_SLOW -> RelayMeter.LimitDisconnect.SLOW_READER;
            case RATE_LIMITED -> RelayMeter.LimitDisconnect.RATE_LIMITED;
            default -> RelayMeter.LimitDisconnect.IDLE_TIMEOUT;
        });
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
        } else if (deliveries.isEmpty() && accountSends.isEmpty() && storesInFlight == 0) {
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
        if (member != null && !welcomed) {
            relay.registry().remove(member); // admitted but never announced: nobody to tell
            member = null;
        }
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
        Instant next = earliest(earliest(helloDeadline, graceDeadline), storeRetry);
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
        if (storeRetry != null && !now.isBefore(storeRetry)) {
            storeRetry = null;
            fetchStored();
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
            case CLIENT_HELLO -> checkAccount(((ClientHello) message).nickname(), false);
            case ACCOUNT_HELLO -> checkAccount(((AccountHello) message).nickname(), true);
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
            case SEND_TO_ACCOUNT -> sendToAccount((SendToAccount) message);
            case ACK_STORED -> acknowledge((AckStored) message);
            case ACCOUNT_BUNDLE_REQUEST -> accountBundle((AccountBundleRequest) message);
            case RELEASE_ACCOUNT -> release((ReleaseAccount) message);
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

    /**
     * The first step of a hello: the nickname must be valid and must not look like another registered account; then
     * the store registers it to this client's key, or says that another key holds it. A client of a variant without
     * end-to-end keys (the INSECURE legacy suite) has no lasting key: it may use only a nickname no account holds.
     */
    private void checkAccount(String nickname, boolean takesStored) {
        if (relay.isShuttingDown()) {
            relay.meter().clientRefused(RelayMeter.AdmissionRefusal.SHUTTING_DOWN);
            closeWith(new Bye(ByeReason.SERVER_SHUTDOWN, SHUTTING_DOWN));
            return;
        }
        String problem = Nicknames.problem(nickname);
        if (problem != null) {
            relay.meter().clientRefused(RelayMeter.AdmissionRefusal.INVALID_NICKNAME);
            refuse(ErrorCode.INVALID_NICKNAME, problem);
            return;
        }
        accountClient = takesStored;
        String canonical = Nickname.canonical(nickname);
        Optional<String> lookAlike = relay.accountNames().lookAlike(canonical);
        if (lookAlike.isPresent()) {
            relay.meter().clientRefused(RelayMeter.AdmissionRefusal.NICKNAME_TAKEN);
            refuse(ErrorCode.NICKNAME_TAKEN, "the nickname '" + nickname + "' looks like '" + lookAlike.get()
                    + "', a nickname registered on this relay; the relay refuses look-alike nicknames (PROTOCOL.md"
                    + " 8.2)");
            return;
        }
        checkingAccount = true;
        boolean lasting = extension.withoutPreKeys().isEmpty();
        var check = lasting ? relay.store().accounts().register(canonical, identityKey)
                : relay.store().accounts().find(canonical).thenApply(a -> a.isPresent() ? Registration.TAKEN : null);
        check.whenComplete((registration, error) -> thread.execute(() -> accountChecked(nickname, canonical,
                registration, error)));
    }

    private void accountChecked(String nickname, String canonical, Registration registration, Throwable error) {
        checkingAccount = false;
        if (closing) {
            return;
        }
        if (error != null) {
            refuse(ErrorCode.INTERNAL_ERROR, "the relay could not check the account of '" + nickname + "' in its"
                    + " store (" + StoreException.of(error).map(Throwable::getMessage).orElse(String.valueOf(error))
                    + "); try again later");
            return;
        }
        if (registration == Registration.TAKEN) {
            // An older client knows only NICKNAME_TAKEN; the detail says which case it is.
            relay.meter().clientRefused(RelayMeter.AdmissionRefusal.NICKNAME_TAKEN);
            refuse(accountClient ? ErrorCode.NICKNAME_REGISTERED : ErrorCode.NICKNAME_TAKEN, "the nickname '"
                    + nickname + "' is registered on this relay to another identity key; only that key may use it"
                    + " until its holder or the relay's operator releases it");
            return;
        }
        if (registration == Registration.REGISTERED) {
            relay.accountNames().registered(canonical);
        }
        account = registration == null ? null : canonical;
        admit(nickname, registration == Registration.REGISTERED);
        List<Message> waiting = List.copyOf(early);
        early.clear();
        for (Message m : waiting) {
            handleMessage(m);
        }
    }

    private void admit(String nickname, boolean newAccount) {
        Admission<RelaySession<C>> admission = relay.registry().admit(nickname, identityKey, this);
        if (admission instanceof Admission.Refused<RelaySession<C>> refused) {
            relay.meter().clientRefused(switch (refused.reason()) {
                case INVALID_NICKNAME -> RelayMeter.AdmissionRefusal.INVALID_NICKNAME;
                case NICKNAME_TAKEN, LOOKS_LIKE_ANOTHER -> RelayMeter.AdmissionRefusal.NICKNAME_TAKEN;
                case RELAY_FULL -> RelayMeter.AdmissionRefusal.RELAY_FULL;
            });
            if (newAccount) {
                // Registered for a connection that is refused after all (a full relay): not kept.
                relay.store().accounts().releaseByOperator(account);
                relay.accountNames().released(account);
            }
            refuse(switch (refused.reason()) {
                case INVALID_NICKNAME -> ErrorCode.INVALID_NICKNAME;
                case NICKNAME_TAKEN, LOOKS_LIKE_ANOTHER -> ErrorCode.NICKNAME_TAKEN;
                case RELAY_FULL -> ErrorCode.SERVER_FULL;
            }, refused.detail());
            return;
        }
        member = ((Admission.Admitted<RelaySession<C>>) admission).member();
        helloDeadline = null;
        relay.meter().clientAdmitted();
        welcomed = true;
        // A client that takes no stored messages (an older one) has nothing to catch up on: messages go to it live.
        caughtUp = !accountClient || account == null;
        // The rate limit goes with the welcome, so the client paces itself to it instead of being held back.
        send(new Welcome(member.clientId(), member.nickname(), relay.options().serverInfo(),
                relay.options().rateLimit().messagesPerSecond(), relay.options().rateLimit().burstMessages()));
        ClientInfo joined = new ClientInfo(member.clientId(), member.nickname(), identityKey);
        report(new ClientJoined(joined));
        // Only the room hears of a join, and only of a member's: a join costs at most the room's size in writes.
        if (relay.room().enter(member)) {
            actions.add(new Announce<>(sessions(relay.room().othersThan(member.clientId())), new Joined(joined)));
        }
        if (!caughtUp) {
            fetchStored();
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
        relay.meter().clientDeparted(reason);
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
            if (account != null) {
                // Kept in the store too, so that others can start sessions with this client while it is offline.
                // Best effort: if the store fails now, bundles of this client come from memory while it is online.
                relay.store().preKeys().publish(account, StoredRecords.records(
                        PreKeyUpload.decodeWithoutVerifyingSignatures(upload.preKeys())));
            }
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
        requestBundle(request, null);
    }

    /** @param byAccount the nickname a {@link AccountBundleRequest} named, or null for a bundle request by id */
    private void requestBundle(PreKeyBundleRequest request, String byAccount) {
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
                relay.clock().instant().plus(relay.options().handshakeTimeout()), byAccount);
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
        PreKeyBundle bundle = handout.bundle();
        if (wait.byAccount == null) {
            send(new PreKeyBundleResponse(wait.request.requestId(), wait.request.clientId(), bundle.encode()));
        } else {
            send(new AccountBundle(wait.request.requestId(), wait.owner.member.nickname(), wait.owner.identityKey,
                    bundle.encode()));
        }
        String ownerAccount = wait.owner.account;
        if (ownerAccount != null) {
            // Handed out from memory: withdrawn from the store, which must never hand it out again.
            bundle.oneTime().ifPresent(k -> relay.store().preKeys().withdraw(ownerAccount, PreKeyKind.ONE_TIME,
                    List.of(k.id())));
            if (bundle.kemPreKey().kind() == KemPreKeyKind.ONE_TIME) {
                relay.store().preKeys().withdraw(ownerAccount, PreKeyKind.ONE_TIME_KEM,
                        List.of(bundle.kemPreKey().id()));
            }
        }
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
        final String byAccount;
        final AtomicBoolean answered = new AtomicBoolean();

        BundleWait(PreKeyBundleRequest request, RelaySession<C> owner, Instant deadline, String byAccount) {
            this.request = request;
            this.owner = owner;
            this.deadline = deadline;
            this.byAccount = byAccount;
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

    // ---------------------------------------------------------------- accounts and stored messages

    /** A message to an account that went live; if the write fails, it is stored instead. */
    private record AccountSend(long requestId, String recipient, byte[] ciphertext, Instant acceptedAt) {}

    /**
     * Live when the recipient is online, has been sent everything stored for it, and has been sent every message of
     * this connection's that the store took for it: so one sender's messages reach it in the order sent, stored or
     * not. Otherwise to the store.
     */
    private void sendToAccount(SendToAccount send) {
        String recipient = Nickname.canonical(send.recipient());
        if (Nicknames.problem(send.recipient()) != null) {
            send(new ErrorReply(send.requestId(), ErrorCode.UNKNOWN_RECIPIENT, clip("no account is registered as '"
                    + send.recipient() + "'")));
            return;
        }
        if (recipient.equals(Nickname.canonical(member.nickname()))) {
            send(new ErrorReply(send.requestId(), ErrorCode.UNKNOWN_RECIPIENT, "a client cannot send to itself"));
            return;
        }
        byte[] ciphertext = send.ciphertext();
        Optional<Member<RelaySession<C>>> online = relay.registry().byNickname(recipient);
        if (online.isPresent() && SessionStarts.startsSession(ciphertext)
                && !relay.sessionStarts().admit(member.clientId(), online.get().clientId())) {
            send(new ErrorReply(send.requestId(), ErrorCode.RATE_LIMITED,
                    clip(SessionStarts.refusal(online.get().clientId()))));
            return;
        }
        report(new EnvelopeForwarded(member.clientId(), false, ciphertext.length));
        if (online.isPresent() && goesLive(recipient, online.get().session())) {
            long id = ++lastDeliveryId;
            accountSends.put(id, new AccountSend(send.requestId(), recipient, ciphertext, relay.clock().instant()));
            actions.add(new Forward<>(online.get().session(), new Envelope(member.clientId(), ciphertext), id));
        } else {
            store(send.requestId(), recipient, ciphertext);
        }
    }

    private boolean goesLive(String recipient, RelaySession<C> to) {
        return to.welcomed && to.caughtUp && storing.getOrDefault(recipient, 0) == 0
                && to.lastStoredSent >= lastStoredTo.getOrDefault(recipient, 0L);
    }

    private void store(long requestId, String recipient, byte[] ciphertext) {
        storing.merge(recipient, 1, Integer::sum);
        storesInFlight++;
        relay.store().messages().enqueue(recipient, member.nickname(), StoredRecords.message(identityKey, ciphertext))
                .whenComplete((result, error) -> thread.execute(() -> stored(requestId, recipient, result, error)));
    }

    private void stored(long requestId, String recipient, EnqueueResult result, Throwable error) {
        storing.computeIfPresent(recipient, (r, n) -> n == 1 ? null : n - 1);
        storesInFlight--;
        if (error != null) {
            send(new ErrorReply(requestId, ErrorCode.NOT_STORED, clip(recipient + " is offline and the relay could"
                    + " not store the message (" + StoreException.of(error).map(e -> e.reason().toString())
                    .orElse("failure") + "); nothing was stored, try again later")));
        } else if (result instanceof EnqueueResult.Stored stored) {
            lastStoredTo.merge(recipient, stored.messageId(), Math::max);
            send(new DeliveryReport(requestId, DeliveryState.STORED));
            relay.registry().byNickname(recipient).ifPresent(m -> m.session().storedArrived());
        } else {
            EnqueueResult.Refused refused = (EnqueueResult.Refused) result;
            send(new ErrorReply(requestId, refused.reason() == EnqueueResult.RefusalReason.NO_SUCH_RECIPIENT
                    ? ErrorCode.UNKNOWN_RECIPIENT : ErrorCode.QUEUE_FULL, clip(refused.describe(recipient))));
        }
        byeIfDone();
    }

    /** Another session stored a message for this client: it is sent if this client takes stored messages. */
    private void storedArrived() {
        thread.execute(() -> {
            if (accountClient && welcomed) {
                fetchStored();
            }
        });
    }

    /** Reads the next stored messages for this client, within its window of unacknowledged ones. */
    private void fetchStored() {
        if (closing || account == null || !accountClient) {
            return;
        }
        if (fetching) {
            fetchAgain = true;
            return;
        }
        int room = MAX_UNACKNOWLEDGED_STORED - unacknowledged.size();
        if (room <= 0 || unacknowledgedBytes >= storedWindowBytes()) {
            return; // the next acknowledgement reads on
        }
        int asked = Math.min(STORED_PAGE, room);
        fetching = true;
        fetchAgain = false;
        relay.store().messages().fetch(account, lastStoredSent, asked).whenComplete((messages, error) ->
                thread.execute(() -> fetched(messages, error, asked)));
    }

    private void fetched(List<StoredMessage> messages, Throwable error, int asked) {
        fetching = false;
        if (closing) {
            return;
        }
        if (error != null) {
            storeRetry = relay.clock().instant().plus(STORE_RETRY);
            return;
        }
        List<Long> unreadable = new ArrayList<>();
        boolean windowFull = false;
        for (StoredMessage m : messages) {
            if (unacknowledgedBytes >= storedWindowBytes()) {
                windowFull = true; // the rest of the page is read again once acknowledgements make room
                break;
            }
            byte[] stored = m.envelope();
            Optional<byte[]> senderKey = StoredRecords.senderKey(stored);
            if (senderKey.isEmpty() || Nicknames.problem(m.sender()) != null) {
                unreadable.add(m.messageId()); // not written by this relay: nothing a client could use
            } else {
                send(new StoredEnvelope(m.messageId(), m.sentAt().toEpochMilli(), m.sender(), senderKey.get(),
                        StoredRecords.ciphertext(stored)));
                if (unacknowledged.put(m.messageId(), stored.length) == null) {
                    unacknowledgedBytes += stored.length;
                }
            }
            lastStoredSent = m.messageId();
        }
        if (!unreadable.isEmpty()) {
            relay.store().messages().acknowledge(account, unreadable);
        }
        if (windowFull) {
            return; // the next acknowledgement reads on
        }
        if (messages.size() == asked || fetchAgain) {
            fetchStored();
        } else {
            caughtUp = true;
        }
    }

    /** The bytes of stored messages a connection may have unacknowledged: half the slow-reader limit. */
    private long storedWindowBytes() {
        return relay.options().slowReaderLimitBytes() / 2;
    }

    private void acknowledge(AckStored ack) {
        if (account == null) {
            return;
        }
        List<Long> ids = new ArrayList<>();
        for (long id : ack.messageIds()) {
            ids.add(id);
            Integer bytes = unacknowledged.remove(id);
            if (bytes != null) {
                unacknowledgedBytes -= bytes;
            }
        }
        relay.store().messages().acknowledge(account, ids);
        fetchStored();
    }

    /** A bundle of an account's holder: from its connection while online, from the store while offline. */
    private void accountBundle(AccountBundleRequest request) {
        String target = Nickname.canonical(request.nickname());
        Optional<Member<RelaySession<C>>> online = relay.registry().byNickname(target);
        if (online.isPresent()) {
            requestBundle(new PreKeyBundleRequest(request.requestId(), online.get().clientId()), target);
            return;
        }
        Optional<Set<PreKeyKind>> kinds = relay.offlineBundles().admit(Nickname.canonical(member.nickname()), target);
        if (kinds.isEmpty()) {
            send(new ErrorReply(request.requestId(), ErrorCode.RATE_LIMITED, clip("asked for the pre-key bundles of '"
                    + target + "' too often: at most " + PreKeyDirectory.MAX_BUNDLES_PER_REQUESTER_AND_TARGET
                    + " per " + PreKeyDirectory.BUNDLE_REQUEST_WINDOW.toMinutes() + " minutes")));
            return;
        }
        relay.store().accounts().find(target).thenCompose(found -> found.isEmpty()
                ? CompletableFuture.completedFuture(null)
                : relay.store().preKeys().take(target, kinds.get()).thenApply(h -> Map.entry(found.get(), h)))
                .whenComplete((found, error) -> thread.execute(() -> {
                    if (error != null) {
                        send(new ErrorReply(request.requestId(), ErrorCode.INTERNAL_ERROR, clip("the relay could not"
                                + " read the pre-keys of '" + target + "' from its store; try again later")));
                    } else if (found == null || found.getValue().isEmpty()) {
                        send(new ErrorReply(request.requestId(), ErrorCode.UNKNOWN_RECIPIENT, clip("no account is"
                                + " registered as '" + request.nickname() + "'")));
                    } else {
                        offlineBundle(request, found.getKey(), found.getValue().get());
                    }
                }));
    }

    private void offlineBundle(AccountBundleRequest request, Account owner,
            PreKeyHandout handout) {
        Optional<PreKeyBundle> bundle;
        try {
            bundle = StoredRecords.bundle(handout);
        } catch (E2eException | IllegalArgumentException e) {
            bundle = Optional.empty();
        }
        if (bundle.isEmpty()) {
            send(new ErrorReply(request.requestId(), ErrorCode.NO_PRE_KEYS, clip("'" + owner.nickname()
                    + "' is offline and has published no pre-keys this relay keeps")));
            return;
        }
        send(new AccountBundle(request.requestId(), owner.nickname(), owner.identityKey(), bundle.get().encode()));
    }

    private void release(ReleaseAccount request) {
        if (account == null) {
            send(new Delivered(request.requestId()));
            return;
        }
        String released = account;
        relay.store().accounts().release(released, identityKey).whenComplete((result, error) ->
                thread.execute(() -> {
                    if (error != null) {
                        send(new ErrorReply(request.requestId(), ErrorCode.NOT_STORED, clip("the relay could not"
                                + " release the account '" + released + "' in its store; try again later")));
                    } else if (result == Release.NOT_YOURS) {
                        send(new ErrorReply(request.requestId(), ErrorCode.NICKNAME_REGISTERED, clip("the account '"
                                + released + "' is registered to another identity key now")));
                    } else {
                        relay.accountNames().released(released);
                        if (account != null && account.equals(released)) {
                            account = null;
                        }
                        send(new Delivered(request.requestId()));
                    }
                }));
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
        deliveries.put(id, Delivery.toOne(requestId, recipientId, relay.clock().instant()));
        actions.add(new Forward<>(recipient.get().session(), message, id));
    }

    private void forwardToMany(long requestId, Message message, List<RelaySession<C>> recipients) {
        if (recipients.isEmpty()) {
            send(new Delivered(requestId));
            return;
        }
        long id = ++lastDeliveryId;
        deliveries.put(id, Delivery.toMany(requestId, recipients.size(), relay.clock().instant()));
        for (RelaySession<C> recipient : recipients) {
            actions.add(new Forward<>(recipient, message, id));
        }
    }

    /** What a forwarded message is, for the operator's meter: never who it is from or for. */
    private static RelayMeter.MessageKind kindOf(Message forwarded) {
        if (forwarded instanceof Envelope) {
            return RelayMeter.MessageKind.PAIRWISE;
        }
        if (forwarded instanceof RoomEnvelope) {
            return RelayMeter.MessageKind.ROOM;
        }
        return RelayMeter.MessageKind.INSECURE_PLAINTEXT;
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
