package io.securecomm.internal.client;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientException;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.RelayKeyDecision;
import io.securecomm.client.Session;
import io.securecomm.internal.client.ClientAction.Close;
import io.securecomm.internal.client.ClientAction.Complete;
import io.securecomm.internal.client.ClientAction.Send;
import io.securecomm.internal.client.ClientAction.SendLast;
import io.securecomm.wire.AccountBundle;
import io.securecomm.wire.AccountHello;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.ClientList;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.DeliveryReport;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Joined;
import io.securecomm.wire.Left;
import io.securecomm.wire.ListPage;
import io.securecomm.wire.MalformedMessageException;
import io.securecomm.wire.Message;
import io.securecomm.wire.Ping;
import io.securecomm.wire.Pong;
import io.securecomm.wire.PreKeyBundleResponse;
import io.securecomm.wire.Welcome;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The client's side of its connection to the relay, without I/O: everything a {@code ChatClient} decides, from the
 * handshake's completion to the end of the session. It says hello, waits for its welcome, has its {@link ChatLayer}
 * publish what it must (the end-to-end layer's pre-keys), learns who is online, and is then connected: it keeps the
 * one roster, correlates requests with their answers and times them out, hands chat to the layer, maps every failure
 * to the exception the application sees ({@code ClientErrors}, the one place), and ends once, with one cause.
 *
 * <p>The shape is quinn-proto's connection, as {@code internal.relay.RelaySession} is on the relay's side. Inputs:
 * the application's commands ({@link #connect}, {@link #close}, and the sends, lists and identity commands of
 * {@link #commands()}), each with the future the application holds; and the transport's
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
 * <p>Parts, each with one job: {@link Connecting} (one attempt, up to the first list), {@link Requests} (requests,
 * their answers and timeouts), {@link Outbound} (the pace: a chat lane before a key lane), {@link Directory} (who is
 * online), {@link Roster} (the one roster), {@link ClientErrors} (failures as the application sees them),
 * {@link ActionQueue} (the outputs), and the {@link ChatLayer} ({@link ClientE2e} on the production path).
 *
 * <p>Threads: not thread-safe, and needs no lock: every method runs on the client's one thread.
 */
public final class ClientSession {
    /** The version this client announces in its hello. */
    static final String CLIENT_VERSION = "securecomm-client/1";

    private enum Phase { NEW, CONNECTING, CONNECTED, CLOSED }

    private final ChatClientOptions options;
    private final Clock clock;
    private final ClientErrors errors;
    private final ActionQueue actions = new ActionQueue();
    private final Roster roster = new Roster();
    private final Outbound outbound;
    private final Requests requests;
    private final Directory directory;
    private final ChatLayer chat;
    private final ClientCommands commands;
    private Phase phase = Phase.NEW;
    /** The attempt to connect, from {@link #connect} until the first list or the end. */
    private Connecting connecting;
    private boolean transportClosed;
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
        this.directory = new Directory(requests, roster);
        this.chat = chat.create(new ChatLayer.Context(options, roster, requests, actions::tell, client, this::send));
        this.commands = new ClientCommands(this::connected, actions, roster, directory, requests, this.chat);
    }

    // ---------------------------------------------------------------- the application's commands (and ClientCommands)

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
        connecting = new Connecting(result);
        phase = Phase.CONNECTING;
    }

    /**
     * The application's commands that need a connected client (sends, lists, identities): each fails its future
     * with why not unless the client is connected.
     *
     * @return the commands
     */
    public ClientCommands commands() {
        return commands;
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
            connecting.transportUp(clock.instant().plus(options.handshakeTimeout()));
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
        if (phase == Phase.CONNECTING && connecting.established(relayKey, trust)) {
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
            case JOINED -> joined(Directory.online(((Joined) message).client()));
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
            actions.tell(new ClientEvent.Error(error));
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
        Instant next = earliest(connecting == null ? null : connecting.deadline().orElse(null),
                requests.nextDeadline().orElse(null));
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
        if (connecting != null && connecting.expired(now)) {
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
        if (phase != Phase.CONNECTING || !connecting.welcomed(w)) {
            return;
        }
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
        directory.room().whenComplete((clients, e) -> {
            if (e != null) {
                end(asClientException(e), false);
            } else {
                firstList(clients);
            }
        });
    }

    private void firstList(List<OnlineClient> clients) {
        if (phase != Phase.CONNECTING) {
            return;
        }
        roster.replace(clients);
        phase = Phase.CONNECTED;
        Session session = connecting.connected();
        guarded(chat::connected);
        connecting.takeHeld().forEach(this::chat);
        actions.add(new Complete<>(connecting.result(), session));
        connecting = null;
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
            actions.tell(new ClientEvent.Error(e));
        } else {
            end(e, false);
        }
    }

    private void joined(OnlineClient client) {
        roster.put(client);
        if (phase == Phase.CONNECTED) {
            guarded(() -> chat.memberJoined(client));
            actions.tell(new ClientEvent.Joined(client));
        }
    }

    private void left(Left left) {
        OnlineClient who = roster.remove(left.clientId())
                .orElseGet(() -> new OnlineClient(left.clientId(), left.nickname(), new byte[0]));
        guarded(() -> chat.memberLeft(who));
        if (phase == Phase.CONNECTED) {
            actions.tell(new ClientEvent.Left(who, left.reason()));
        }
    }

    /** Members who already share a session with this client write as soon as they see it join. */
    private void chat(Message message) {
        if (phase == Phase.CONNECTED) {
            guarded(() -> chat.receive(message));
        } else {
            connecting.hold(message);
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
        outbound.clear();
        if (!transportClosed && (wasConnected || wasConnecting)) {
            actions.add(sayGoodbye && wasConnected ? new SendLast(new Bye(ByeReason.CLIENT_EXIT, "")) : new Close());
        }
        if (wasConnecting) {
            connecting.end();
            actions.fail(connecting.result(), cause);
            connecting = null;
        }
        requests.end(cause);
        try {
            // Before the last event: the layer reports what it still held (room messages waiting for a key).
            chat.close();
        } catch (RuntimeException ignored) {
            // wiping is best effort, and a defect here must not keep the end from being told
        }
        if (wasConnected) {
            actions.tell(new ClientEvent.Disconnected(cause));
        }
    }

    // ---------------------------------------------------------------- helpers

    /** Fails {@code result} unless connected; tells whether the command may go on. */
    private boolean connected(CompletableFuture<?> result) {
        if (phase == Phase.CONNECTED) {
            return true;
        }
        actions.fail(result, phase == Phase.CLOSED ? endCause : ClientErrors.notConnectedYet());
        return false;
    }

    /** Runs the chat layer's work; a defect in it is reported and does not end the session. */
    private void guarded(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException bug) {
            actions.tell(new ClientEvent.Error(ClientErrors.bug(bug)));
        }
    }

    /** A message that is not a request (a keep-alive reply): paced, in the chat lane. */
    private void send(Message message) {
        outbound.add(message, Outbound.Lane.CHAT, () -> { });
    }

    private ChatClientException asClientException(Throwable e) {
        Throwable cause = ClientErrors.unwrap(e);
        return cause instanceof ChatClientException c ? c : errors.transportFailure(cause, false);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null || (b != null && b.isBefore(a)) ? b : a;
    }

    @Override
    public String toString() {
        return "ClientSession[" + options.nickname() + ", " + phase + "]";
    }
}
