package io.securecomm.internal.client;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.DeliveryStatus;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.PeerIdentity;
import io.securecomm.client.UnknownRecipientException;
import io.securecomm.e2e.SafetyNumber;
import io.securecomm.wire.Message;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What a {@link ClientSession} does with chat: the end-to-end layer ({@link ClientE2e}) on the production path; the
 * variant of a client is chosen when its pipeline is assembled, and the session knows only this interface. The
 * session owns the connection, the roster and the requests; the layer turns text into requests and what arrives into
 * events, through the {@link Context} the session lends it, and never calls the session back.
 *
 * <p>Called on the session's thread only, never concurrently; the futures it returns complete there too.
 */
public interface ChatLayer {
    /**
     * The relay welcomed this client: whatever must be published before the client counts as connected.
     *
     * @param nickname the nickname the relay admitted
     * @return the future of that work (its failure ends the connection attempt)
     */
    CompletableFuture<Void> welcomed(String nickname);

    /** The client is connected and the roster holds the members online at that moment. */
    void connected();

    /**
     * Sends a public message to the room.
     *
     * @param text the text, already checked against the wire's limits
     * @return the future of its delivery
     */
    CompletableFuture<DeliveryStatus> sendPublic(String text);

    /**
     * Sends a private message to one member.
     *
     * @param to the member, from the roster
     * @param text the text, already checked against the wire's limits
     * @return the future of its delivery
     */
    CompletableFuture<DeliveryStatus> sendPrivate(OnlineClient to, String text);

    /**
     * Sends a private message to an account's holder who is not online: the relay stores it. A layer that cannot
     * (the INSECURE legacy suite's plaintext chat) fails it as an unknown recipient.
     *
     * @param nickname the recipient's nickname
     * @param text the text, already checked against the wire's limits
     * @return the future of its delivery ({@link DeliveryStatus#STORED}, usually)
     */
    default CompletableFuture<DeliveryStatus> sendToAccount(String nickname, String text) {
        return CompletableFuture.failedFuture(new UnknownRecipientException(nickname));
    }

    /**
     * Whether this layer takes the messages the relay stored for this client, so the session says
     * {@code AccountHello} rather than {@code ClientHello}.
     *
     * @return {@code true} for the end-to-end layer
     */
    default boolean takesStoredMessages() {
        return false;
    }

    /**
     * Something for the chat arrived: an {@code Envelope}, a {@code RoomEnvelope}, a {@code PublicMessage}, a
     * {@code PrivateMessage} or a {@code PreKeyCount}. Chat that arrives before the client is connected is held by the
     * session and handed over once it is.
     *
     * @param message the message
     */
    void receive(Message message);

    /**
     * A member joined after this client connected; it is in the roster already.
     *
     * @param member the newcomer
     */
    void memberJoined(OnlineClient member);

    /**
     * A member left; it is no longer in the roster.
     *
     * @param member the member, as the roster knew it (or as the departure named it)
     */
    void memberLeft(OnlineClient member);

    /**
     * When {@link #handleTimeout} is next due.
     *
     * @return the deadline, or empty if none
     */
    default Optional<Instant> pollTimeout() {
        return Optional.empty();
    }

    /**
     * Time has passed.
     *
     * @param now the session's clock's current time
     */
    default void handleTimeout(Instant now) {}

    /**
     * Describes a peer's end-to-end identity.
     *
     * @param peer the peer's canonical nickname
     * @return the future of the identity
     */
    CompletableFuture<PeerIdentity> peerIdentity(String peer);

    /**
     * Records that the user verified a peer.
     *
     * @param peer the peer's canonical nickname
     * @return the future of the record
     */
    CompletableFuture<Void> markVerified(String peer);

    /**
     * Accepts a peer's pending identity if its safety number is the one compared.
     *
     * @param peer the peer's canonical nickname
     * @param compared the safety number the user compared
     * @return the future of whether a change was pending and is accepted
     */
    CompletableFuture<Boolean> trustNewIdentity(String peer, SafetyNumber compared);

    /**
     * Rejects a peer's pending identity.
     *
     * @param peer the peer's canonical nickname
     * @return the future of whether a change was pending
     */
    CompletableFuture<Boolean> rejectNewIdentity(String peer);

    /**
     * The session ended: report what is still held (through the context's events, before the session's last one),
     * then wipe what is secret (best effort).
     */
    void close();

    /** Makes the chat layer of a new session. */
    @FunctionalInterface
    interface Factory {
        /**
         * Makes the layer.
         *
         * @param context what the session lends it
         * @return the layer
         */
        ChatLayer create(Context context);
    }

    /**
     * What a session lends its chat layer: the client's options, the roster (read only), the requests to the relay,
     * and the listener's events, which take their place among the session's actions.
     */
    final class Context {
        private final ChatClientOptions options;
        private final Roster roster;
        private final Requests requests;
        private final Consumer<ClientEvent> events;
        private final ChatClient client;
        private final Consumer<Message> sendNow;

        Context(ChatClientOptions options, Roster roster, Requests requests, Consumer<ClientEvent> events,
                ChatClient client, Consumer<Message> sendNow) {
            this.sendNow = Objects.requireNonNull(sendNow, "sendNow");
            this.options = Objects.requireNonNull(options, "options");
            this.roster = Objects.requireNonNull(roster, "roster");
            this.requests = Objects.requireNonNull(requests, "requests");
            this.events = Objects.requireNonNull(events, "events");
            this.client = client;
        }

        /**
         * A message received from a member, replying through the application's client.
         *
         * @param from the sender as the roster knows it, or empty if it is no longer online
         * @param senderName the sender's name when it is not online
         * @param text the text
         * @param isPrivate whether it was sent to this client alone
         * @return the message for the listener
         */
        public ChatMessage message(Optional<OnlineClient> from, String senderName, String text,
                boolean isPrivate) {
            return message(from, senderName, text, isPrivate, null);
        }

        /**
         * A message received from a member, replying through the application's client.
         *
         * @param from the sender as the roster knows it, or empty if it is not online
         * @param senderName the sender's name when it is not online
         * @param text the text
         * @param isPrivate whether it was sent to this client alone
         * @param sentAt when the relay stored it, or {@code null} for a message delivered live
         * @return the message for the listener
         */
        public ChatMessage message(Optional<OnlineClient> from, String senderName, String text,
                boolean isPrivate, Instant sentAt) {
            return new ChatMessage(from.map(OnlineClient::clientId).filter(id -> id > 0).orElse(0),
                    from.map(OnlineClient::nickname).orElse(senderName), text, isPrivate, client, sentAt);
        }

        /**
         * Sends a message to the relay at once, outside the pace and the requests: for acknowledgements, which the
         * relay does not answer.
         *
         * @param message the message
         */
        public void sendNow(Message message) {
            sendNow.accept(message);
        }

        /**
         * The client's options.
         *
         * @return the options
         */
        public ChatClientOptions options() {
            return options;
        }

        /**
         * Who is online.
         *
         * @return the session's roster
         */
        public Roster roster() {
            return roster;
        }

        /**
         * The requests to the relay.
         *
         * @return the session's requests
         */
        public Requests requests() {
            return requests;
        }

        /**
         * Tells the application's listener, in the session's order.
         *
         * @param event the call
         */
        public void tell(ClientEvent event) {
            events.accept(event);
        }
    }
}
