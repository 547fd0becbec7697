package io.securecomm.internal.client;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientException;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ClientPage;
import io.securecomm.client.DeliveryStatus;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.PeerIdentity;
import io.securecomm.client.RelayKeyDecision;
import io.securecomm.client.Session;
import io.securecomm.client.UnknownRecipientException;
import io.securecomm.e2e.SafetyNumber;
import io.securecomm.internal.client.ClientAction.Close;
import io.securecomm.internal.client.ClientAction.Complete;
import io.securecomm.internal.client.ClientAction.Fail;
import io.securecomm.internal.client.ClientAction.Notify;
import io.securecomm.internal.client.ClientAction.Send;
import io.securecomm.internal.client.ClientAction.SendLast;
import io.securecomm.wire.AccountBundle;
import io.securecomm.wire.AccountHello;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.ClientInfo;
import io.securecomm.wire.ClientList;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.DeliveryReport;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Joined;
import io.securecomm.wire.Left;
import io.securecomm.wire.Limits;
import io.securecomm.wire.ListPage;
import io.securecomm.wire.ListPageRequest;
import io.securecomm.wire.ListRequest;
import io.securecomm.wire.MalformedMessageException;
import io.securecomm.wire.Message;
import io.securecomm.wire.Nickname;
import io.securecomm.wire.Ping;
import io.securecomm.wire.Pong;
import io.securecomm.wire.PreKeyBundleResponse;
import io.securecomm.wire.ReleaseAccount;
import io.securecomm.wire.Welcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The client's side of its connection to the relay, without I/O: everything a {@code ChatClient} decides, from the
 * handshake's completion to the end of the session. It says hello, waits for its welcome, has its {@link ChatLayer}
 * publish what it must (the end-to-end layer's pre-keys), learns who is online, and is then connected: it keeps the
 * one roster, correlates requests with their answers and times them out, hands chat to the layer, maps every failure
 * to the exception the application sees ({@code ClientErrors}, the one place), and ends once, with one cause.
 *
 * <p>The shape is quinn-proto's connection, as {@code internal.relay.RelaySession} is on the relay's side. Inputs:
 * the application's commands ({@link #connect}, {@link #sendPublic}, {@link #sendPrivate(int, String,
 * CompletableFuture)}, {@link #list}, {@link #peerIdentity}, {@link #markVerified}, {@link #trustNewIdentity},
 * {@link #rejectNewIdentity}, {@link #close}), each with the future the application holds; and the transport's
 * events ({@link #handleConnected}, {@link #handleUnreachable}, {@link #handleEstablished}, {@link #handleMessage},
 * {@link #handleMalformed}, {@link #handleTransportError}, {@link #handleTransportClosed}). Outputs, from
 * {@link #poll()}: messages for the relay, the end of the connection, listener calls and the outcomes of the
 * application's futures ({@link ClientAction}), in the order they must happen. Time comes in through
 * {@link #handleTimeout} whenever {@link #pollTimeout()} says, read from the options' {@link Clock}: the request
 * timeouts, the deadline of the handshake and welcome, and the chat layer's (held room messages, the signed pre-key
 * check).
 *
 * <p>Connecting: {@code connect} → transport up ({@code handleConnected}, the deadline starts) → handshake done
 * ({@code handleEstablished}: {@code ClientHello}) → {@code Welcome} (the layer publishes: {@code UploadPreKeys})
 * → {@code ListRequest} → its {@code ClientList}: connected, the roster is that list, chat that arrived meanwhile is
 * handed over, and the connect future completes. Any failure before that fails the connect future.
 *
 * <p>Threads: not thread-safe, and needs no lock: every method runs on the client's one thread.
 */
public final class ClientSession {
    /** The version this client announces in its hello. */
    static final String CLIENT_VERSION = "securecomm-client/1";
    /** How many chat messages that arrive between the welcome and the first list are held for it. */
    static final int MAX_EARLY_MESSAGES = Limits.CLIENT_LIST_MAX_ENTRIES * 4;

    /** Why the connection to the relay could not be made, as the adapter classifies the transport's failure. */
    public enum Unreachable {
        /** No answer within the connect timeout. */
        TIMED_OUT,
        /** The relay's host refused the connection. */
        REFUSED,
        /** The host name does not resolve. */
        UNKNOWN_HOST,
        /** Anything else; the cause's message says what. */
        OTHER
    }

    private enum Phase { NEW, CONNECTING, CONNECTED, CLOSED }

    private final ChatClientOptions options;
    private final Clock clock;
    private final ClientErrors errors;
    private final ArrayDeque<ClientAction> actions = new ArrayDeque<>();
    private final Roster roster = new Roster();
    private final Outbound outbound;
    private final Requests requests;
    private final ChatLayer chat;
    /** Chat that arrived before the first list, when its senders were not known yet. */
    private final List<Message> early = new ArrayList<>();
    private Phase phase = Phase.NEW;
    private CompletableFuture<Session> connecting;
    private Instant welcomeDeadline;
    private boolean transportClosed;
    private byte[] relayKey;
    private RelayKeyDecision trust;
    private Welcome welcome;
    private ChatClientException endCause;

    /**
     * Creates the session of a client that is not connected yet.
     *
     * @param options the client's options: its nickname, timeouts and clock, the relay it names in messages
     * @param chat makes what the session does with chat (the variant chosen when the pipeline was assembled)
     */
    public ClientSession(ChatClientOptions options, ChatLayer.Factory chat) {
        this(options, chat, null);
    }

    /**
     * Creates the session of a client that is not connected yet, whose received messages reply through the
     * application's client.
     *
     * @param options the client's options: its nickname, timeouts and clock, the relay it names in messages
     * @param chat makes what the session does with chat (the variant chosen when the pipeline was assembled)
     * @param client the application's client, which {@code ChatMessage.reply} calls; {@code null} if none
     */
    public ClientSession(ChatClientOptions options, ChatLayer.Factory chat, ChatClient client) {
        this.options = Objects.requireNonNull(options, "options");
        this.clock = options.clock();
        this.errors = new ClientErrors(options);
        this.outbound = new Outbound(options.requestsPerSecond(), options.requestBurst(), clock.instant());
        this.requests = new Requests(outbound, clock, options.requestTimeout(), errors);
        this.chat = chat.create(new ChatLayer.Context(options, roster, requests, this::tell, client, this::send));
    }

    // ---------------------------------------------------------------- the application's commands

    /**
     * Checks a chat text against the wire's limits, as the API does before it hands a send to the session.
     *
     * @param text the text
     * @throws IllegalArgumentException if it is empty or longer than {@link Limits#TEXT_MAX_BYTES} in UTF-8
     */
    public static void checkText(String text) {
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

    /**
     * Starts connecting; the adapter opens the transport.
     *
     * @param result the future {@code connect()} returned: completed with the session, or failed with why not
     * @throws IllegalStateException if connect was already called
     */
    public void connect(CompletableFuture<Session> result) {
        if (phase != Phase.NEW) {
            throw new IllegalStateException("connect() may be called once per client; create a new client to"
                    + " reconnect");
        }
        phase = Phase.CONNECTING;
        connecting = Objects.requireNonNull(result, "result");
    }

    /**
     * Sends a public message to the room.
     *
     * @param text the text, checked by the caller ({@link #checkText})
     * @param result completed once the relay delivered it
     */
    public void sendPublic(String text, CompletableFuture<DeliveryStatus> result) {
        if (connected(result)) {
            answer(result, () -> chat.sendPublic(text));
        }
    }

    /**
     * Sends a private message to the member with this id.
     *
     * @param clientId the member's id
     * @param text the text, checked by the caller
     * @param result completed once the relay delivered it; fails with {@code UnknownRecipientException} if no such
     *     member is in the roster
     */
    public void sendPrivate(int clientId, String text, CompletableFuture<DeliveryStatus> result) {
        if (connected(result)) {
            sendPrivate(roster.byId(clientId), Integer.toString(clientId), text, result, false);
        }
    }

    /**
     * Sends a private message to the member with this nickname (in any letter case).
     *
     * @param nickname the member's nickname
     * @param text the text, checked by the caller
     * @param result completed once the relay delivered it
     */
    public void sendPrivate(String nickname, String text, CompletableFuture<DeliveryStatus> result) {
        if (connected(result)) {
            sendPrivate(roster.byName(nickname), nickname, text, result, true);
        }
    }

    private void sendPrivate(Optional<OnlineClient> to, String named, String text,
            CompletableFuture<DeliveryStatus> result, boolean byName) {
        if (to.isEmpty() && byName) {
            // Not online: an account's holder gets it when it returns (or the relay says there is no such account).
            answer(result, () -> chat.sendToAccount(named, text));
        } else if (to.isEmpty()) {
            fail(result, new UnknownRecipientException(named));
        } else {
            answer(result, () -> chat.sendPrivate(to.get(), text));
        }
    }

    /**
     * Asks the relay for the public room's members; the roster learns the answer too.
     *
     * @param result completed with the members in ascending id order (none if this client is outside the room)
     */
    public void list(CompletableFuture<List<OnlineClient>> result) {
        if (connected(result)) {
            answer(result, () -> requests.send(ListRequest::new, Requests.LIST, "list", null).thenApply(infos -> {
                List<OnlineClient> clients = online(infos);
                clients.forEach(roster::put);
                return clients;
            }));
        }
    }

    /**
     * Asks the relay for one page of everyone online. The roster does not learn from it: the roster is the room,
     * and a page lists clients outside the room too.
     *
     * @param after the cursor: list canonical nicknames after this one; empty for the first page
     * @param maxEntries 1 to {@code Limits.LIST_PAGE_MAX_ENTRIES}
     * @param result completed with the page
     */
    public void listPage(String after, int maxEntries, CompletableFuture<ClientPage> result) {
        if (connected(result)) {
            answer(result, () -> requests.send(id -> new ListPageRequest(id, after, maxEntries), Requests.LIST_PAGE,
                    "list page", null).thenApply(ClientSession::page));
        }
    }

    /**
     * Checks a page request's arguments, the caller's mistakes, before it goes to the client's thread.
     *
     * @param after the cursor
     * @param maxEntries the page size
     * @throws IllegalArgumentException if the cursor is longer than a nickname field or the size is out of range
     */
    public static void checkPageRequest(String after, int maxEntries) {
        Objects.requireNonNull(after, "after");
        if (after.getBytes(StandardCharsets.UTF_8).length > Limits.NICKNAME_FIELD_MAX_BYTES) {
            throw new IllegalArgumentException("after is longer than a nickname field ("
                    + Limits.NICKNAME_FIELD_MAX_BYTES + " bytes)");
        }
        if (maxEntries < 1 || maxEntries > Limits.LIST_PAGE_MAX_ENTRIES) {
            throw new IllegalArgumentException("maxEntries must be 1 to " + Limits.LIST_PAGE_MAX_ENTRIES + ", got "
                    + maxEntries);
        }
    }

    private static ClientPage page(ListPage page) {
        List<ClientPage.Entry> entries = new ArrayList<>(page.entries().size());
        for (ListPage.Entry e : page.entries()) {
            entries.add(new ClientPage.Entry(online(e.client()), e.inRoom()));
        }
        return new ClientPage(page.online(), page.roomMembers(), page.roomLimit(), entries, page.more());
    }

    /**
     * Describes a peer's identity.
     *
     * @param peer the peer's nickname, in any letter case
     * @param result completed with the identity
     */
    public void peerIdentity(String peer, CompletableFuture<PeerIdentity> result) {
        if (connected(result)) {
            answer(result, () -> chat.peerIdentity(Nickname.canonical(peer)));
        }
    }

    /**
     * Releases this client's account at the relay.
     *
     * @param result completed once the relay released it
     */
    public void releaseAccount(CompletableFuture<Void> result) {
        if (connected(result)) {
            answer(result, () -> requests.delivery(id -> new ReleaseAccount(id), "account release",
                    null).thenApply(status -> (Void) null));
        }
    }

    /**
     * Records that the user verified a peer.
     *
     * @param peer the peer's nickname
     * @param result completed once recorded
     */
    public void markVerified(String peer, CompletableFuture<Void> result) {
        if (connected(result)) {
            answer(result, () -> chat.markVerified(Nickname.canonical(peer)));
        }
    }

    /**
     * Accepts a peer's pending identity if its safety number is the one compared.
     *
     * @param peer the peer's nickname
     * @param compared the safety number the user compared
     * @param result completed with whether a change was pending and is accepted
     */
    public void trustNewIdentity(String peer, SafetyNumber compared, CompletableFuture<Boolean> result) {
        if (connected(result)) {
            answer(result, () -> chat.trustNewIdentity(Nickname.canonical(peer), compared));
        }
    }

    /**
     * Rejects a peer's pending identity.
     *
     * @param peer the peer's nickname
     * @param result completed with whether a change was pending
     */
    public void rejectNewIdentity(String peer, CompletableFuture<Boolean> result) {
        if (connected(result)) {
            answer(result, () -> chat.rejectNewIdentity(Nickname.canonical(peer)));
        }
    }

    /**
     * The application closes the client: a connected client says goodbye, then the connection closes; everything
     * pending fails with {@code NotConnectedException}. Idempotent.
     */
    public void close() {
        end(ClientErrors.closedByApplication(), true);
    }

    // ---------------------------------------------------------------- the transport's events

    /** The transport is up: the handshake and the welcome must now complete within the handshake timeout. */
    public void handleConnected() {
        if (phase == Phase.CONNECTING) {
            welcomeDeadline = clock.instant().plus(options.handshakeTimeout());
        }
    }

    /**
     * The transport could not be opened.
     *
     * @param why the adapter's classification
     * @param cause the transport's exception
     */
    public void handleUnreachable(Unreachable why, Throwable cause) {
        transportClosed = true;
        end(errors.unreachable(why, cause), false);
    }

    /**
     * The handshake completed: the client says hello.
     *
     * @param relayKey the relay's static key as the handshake authenticated it (empty if it authenticates none)
     * @param trust what the trust store decided about it
     */
    public void handleEstablished(byte[] relayKey, RelayKeyDecision trust) {
        if (phase == Phase.CONNECTING && this.relayKey == null) {
            this.relayKey = relayKey.clone();
            this.trust = Objects.requireNonNull(trust, "trust");
            // The hello is not a request the relay's limit counts: it leaves at once.
            // A client with accounts says so, and the relay then sends it what it stored for it.
            actions.add(new Send(chat.takesStoredMessages() ? new AccountHello(options.nickname(), CLIENT_VERSION)
                    : new ClientHello(options.nickname(), CLIENT_VERSION)));
        }
    }

    /**
     * A message from the relay.
     *
     * @param message the decoded message
     */
    public void handleMessage(Message message) {
        if (phase != Phase.CONNECTING && phase != Phase.CONNECTED) {
            return;
        }
        switch (message.type()) {
            case WELCOME -> welcomed((Welcome) message);
            case CLIENT_LIST -> requests.answer(((ClientList) message).requestId(), message);
            case LIST_PAGE -> requests.answer(((ListPage) message).requestId(), message);
            case DELIVERED -> requests.answer(((Delivered) message).requestId(), message);
            case PRE_KEY_BUNDLE_RESPONSE -> requests.answer(((PreKeyBundleResponse) message).requestId(), message);
            case DELIVERY_REPORT -> requests.answer(((DeliveryReport) message).requestId(), message);
            case ACCOUNT_BUNDLE -> requests.answer(((AccountBundle) message).requestId(), message);
            case STORED_ENVELOPE -> chat(message);
            case ERROR_REPLY -> refused((ErrorReply) message);
            case JOINED -> joined(online(((Joined) message).client()));
            case LEFT -> left((Left) message);
            case ENVELOPE, ROOM_ENVELOPE, PUBLIC_MESSAGE, PRIVATE_MESSAGE -> chat(message);
            case PRE_KEY_COUNT -> guarded(() -> chat.receive(message));
            case PING -> send(new Pong(((Ping) message).nonce()));
            case BYE -> end(errors.relaySaidGoodbye((Bye) message), false);
            default -> {
                // A message only clients send: the relay has no business sending it, and it asks nothing.
            }
        }
    }

    /**
     * An authentic record from the relay that is not a valid message: before the client is connected it ends the
     * attempt; after, it is reported and the session goes on.
     *
     * @param cause what the codec found wrong
     */
    public void handleMalformed(MalformedMessageException cause) {
        ChatClientException error = errors.malformed(cause);
        if (phase == Phase.CONNECTED) {
            tell(new ClientEvent.Error(error));
        } else {
            end(error, false);
        }
    }

    /**
     * The transport failed (a handshake or record failure, the trust store's refusal, a socket error): the session
     * ends with the mapped cause.
     *
     * @param cause what the transport reported
     */
    public void handleTransportError(Throwable cause) {
        end(errors.transportFailure(cause, phase == Phase.CONNECTED), false);
    }

    /** The connection closed, for whatever reason; if nothing ended the session before, it ends as lost. */
    public void handleTransportClosed() {
        transportClosed = true;
        end(errors.lost(phase == Phase.CONNECTED), false);
    }

    /**
     * When {@link #handleTimeout} is next due.
     *
     * @return the earliest deadline, or empty if none is set
     */
    public Optional<Instant> pollTimeout() {
        if (phase == Phase.CLOSED) {
            return Optional.empty();
        }
        Instant next = earliest(welcomeDeadline, requests.nextDeadline().orElse(null));
        next = earliest(next, outbound.nextRelease(clock.instant()).orElse(null));
        return Optional.ofNullable(phase == Phase.CONNECTED ? earliest(next, chat.pollTimeout().orElse(null)) : next);
    }

    /**
     * Time has passed: a connection attempt past its deadline fails, requests past theirs time out, and the chat
     * layer does what is due.
     *
     * @param now the current time of the options' clock
     */
    public void handleTimeout(Instant now) {
        if (welcomeDeadline != null && !now.isBefore(welcomeDeadline)) {
            end(errors.handshakeDeadline(), false);
            return;
        }
        requests.expire(now);
        if (phase == Phase.CONNECTED) {
            guarded(() -> chat.handleTimeout(now));
        }
    }

    // ---------------------------------------------------------------- outputs and state

    /**
     * The next thing to do.
     *
     * @return the next action, or {@code null} if there is none
     */
    public ClientAction poll() {
        if (actions.isEmpty() && phase != Phase.CLOSED) {
            outbound.release(clock.instant(), m -> actions.add(new Send(m)));
        }
        return actions.poll();
    }

    /**
     * How many messages wait for the client's pace, in both lanes (for tests and diagnostics).
     *
     * @return the count
     */
    int waitingToSend() {
        return outbound.waiting(Outbound.Lane.CHAT) + outbound.waiting(Outbound.Lane.KEYS);
    }

    /**
     * The chat layer (for tests of the end-to-end layer in this package).
     *
     * @return the layer
     */
    ChatLayer chatLayer() {
        return chat;
    }

    /**
     * Whether the client is connected: between the first list and the end.
     *
     * @return {@code true} while connected
     */
    public boolean isConnected() {
        return phase == Phase.CONNECTED;
    }

    /**
     * Whether the session has ended (it never starts again).
     *
     * @return {@code true} once ended
     */
    public boolean isEnded() {
        return phase == Phase.CLOSED;
    }

    /**
     * Why the session ended.
     *
     * @return the cause the application was given, or empty while it runs
     */
    public Optional<ChatClientException> endCause() {
        return Optional.ofNullable(endCause);
    }

    // ---------------------------------------------------------------- connecting

    private void welcomed(Welcome w) {
        if (phase != Phase.CONNECTING || welcome != null) {
            return;
        }
        welcome = w;
        roster.welcomed(w.clientId());
        outbound.relayLimit(w.requestsPerSecond(), w.requestBurst(), clock.instant());
        // The relay answers in order: what the layer publishes is published before the list comes back.
        CompletableFuture<Void> published;
        try {
            published = chat.welcomed(w.nickname());
        } catch (RuntimeException bug) {
            published = CompletableFuture.failedFuture(bug);
        }
        published.whenComplete((v, e) -> {
            if (e != null) {
                end(errors.preKeysRefused(ClientErrors.unwrap(e)), false);
            }
        });
        requests.send(ListRequest::new, Requests.LIST, "list", null).whenComplete((infos, e) -> {
            if (e != null) {
                end(asClientException(e), false);
            } else {
                firstList(online(infos));
            }
        });
    }

    private void firstList(List<OnlineClient> clients) {
        if (phase != Phase.CONNECTING) {
            return;
        }
        roster.replace(clients);
        phase = Phase.CONNECTED;
        welcomeDeadline = null;
        Session session = new Session(welcome.clientId(), welcome.nickname(), welcome.serverInfo(), relayKey, trust);
        guarded(chat::connected);
        List<Message> held = List.copyOf(early);
        early.clear();
        held.forEach(this::chat);
        actions.add(new Complete<>(connecting, session));
    }

    // ---------------------------------------------------------------- what the relay sends

    private void refused(ErrorReply error) {
        if (requests.refuse(error)) {
            return;
        }
        ChatClientException e = phase == Phase.CONNECTING && chat.takesStoredMessages()
                && error.code() == ErrorCode.MALFORMED_MESSAGE && error.requestId() == 0
                ? errors.relayWithoutAccounts(error) : errors.forReply(error, null);
        if (phase == Phase.CONNECTED) {
            tell(new ClientEvent.Error(e));
        } else {
            end(e, false);
        }
    }

    private void joined(OnlineClient client) {
        roster.put(client);
        if (phase == Phase.CONNECTED) {
            guarded(() -> chat.memberJoined(client));
            tell(new ClientEvent.Joined(client));
        }
    }

    private void left(Left left) {
        OnlineClient who = roster.remove(left.clientId())
                .orElseGet(() -> new OnlineClient(left.clientId(), left.nickname(), new byte[0]));
        guarded(() -> chat.memberLeft(who));
        if (phase == Phase.CONNECTED) {
            tell(new ClientEvent.Left(who, left.reason()));
        }
    }

    /** Members who already share a session with this client write as soon as they see it join. */
    private void chat(Message message) {
        if (phase == Phase.CONNECTED) {
            guarded(() -> chat.receive(message));
        } else if (early.size() < MAX_EARLY_MESSAGES) {
            early.add(message);
        }
    }

    // ---------------------------------------------------------------- ending

    /**
     * Ends the session once: the transport closes (after a goodbye, if the application closes a connected client),
     * the connect future and every request fail with the cause, the chat layer reports what it still held, and the
     * listener hears of the end last.
     */
    private void end(ChatClientException cause, boolean sayGoodbye) {
        if (phase == Phase.CLOSED) {
            return;
        }
        boolean wasConnected = phase == Phase.CONNECTED;
        boolean wasConnecting = phase == Phase.CONNECTING;
        phase = Phase.CLOSED;
        endCause = cause;
        welcomeDeadline = null;
        early.clear();
        outbound.clear();
        if (!transportClosed && (wasConnected || wasConnecting)) {
            actions.add(sayGoodbye && wasConnected ? new SendLast(new Bye(ByeReason.CLIENT_EXIT, "")) : new Close());
        }
        if (wasConnecting) {
            actions.add(new Fail(connecting, cause));
        }
        requests.end(cause);
        try {
            // Before the last event: the layer reports what it still held (room messages waiting for a key).
            chat.close();
        } catch (RuntimeException ignored) {
            // wiping is best effort, and a defect here must not keep the end from being told
        }
        if (wasConnected) {
            tell(new ClientEvent.Disconnected(cause));
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Fails {@code result} unless connected; tells whether the command may go on. */
    private boolean connected(CompletableFuture<?> result) {
        if (phase == Phase.CONNECTED) {
            return true;
        }
        fail(result, phase == Phase.CLOSED ? endCause : ClientErrors.notConnectedYet());
        return false;
    }

    /** Hands the outcome of some work to the application's future, in the session's order. */
    private <T> void answer(CompletableFuture<T> result, Supplier<CompletableFuture<T>> work) {
        CompletableFuture<T> outcome;
        try {
            outcome = work.get();
        } catch (RuntimeException e) {
            fail(result, e);
            return;
        }
        outcome.whenComplete((v, e) -> {
            if (e != null) {
                fail(result, ClientErrors.unwrap(e));
            } else {
                actions.add(new Complete<>(result, v));
            }
        });
    }

    private void fail(CompletableFuture<?> result, Throwable cause) {
        actions.add(new Fail(result, cause));
    }

    /** Runs the chat layer's work; a defect in it is reported and does not end the session. */
    private void guarded(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException bug) {
            tell(new ClientEvent.Error(ClientErrors.bug(bug)));
        }
    }

    /** A message that is not a request (a keep-alive reply): paced, in the chat lane. */
    private void send(Message message) {
        outbound.add(message, Outbound.Lane.CHAT, () -> { });
    }

    private void tell(ClientEvent event) {
        actions.add(new Notify(event));
    }

    private ChatClientException asClientException(Throwable e) {
        Throwable cause = ClientErrors.unwrap(e);
        return cause instanceof ChatClientException c ? c : errors.transportFailure(cause, false);
    }

    /** The clients the relay named, in a {@code ClientList} or a {@code Joined}, as the API shows them. */
    private static List<OnlineClient> online(List<ClientInfo> infos) {
        List<OnlineClient> out = new ArrayList<>(infos.size());
        for (ClientInfo info : infos) {
            out.add(online(info));
        }
        return out;
    }

    private static OnlineClient online(ClientInfo info) {
        return new OnlineClient(info.clientId(), info.nickname(), info.identityKey());
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null || (b != null && b.isBefore(a)) ? b : a;
    }

    @Override
    public String toString() {
        return "ClientSession[" + options.nickname() + ", " + phase + "]";
    }
}
