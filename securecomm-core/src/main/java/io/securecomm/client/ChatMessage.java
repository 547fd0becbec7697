package io.securecomm.client;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A message received from another client, and the way to answer it: {@link #reply(String)} answers where it came
 * from (privately to a private message, in the room to a public one), {@link #replyPrivately(String)} always to the
 * sender alone. An echo bot is one line:
 *
 * <pre>{@code
 * public void onMessage(ChatMessage message) {
 *     message.reply(message.text());   // never wait for the reply's future here: see ChatFuture
 * }
 * }</pre>
 *
 * <p>An immutable value: equality and the hash code are those of the four fields (not of the client that received
 * it); {@link #toString()} omits the text.
 */
public final class ChatMessage {
    private final int senderId;
    private final String senderNickname;
    private final String text;
    private final boolean isPrivate;
    private final ChatClient receiver;
    private final Instant sentAt;

    /**
     * Creates a message that cannot be replied to (for tests, and for programs that make their own).
     *
     * @param senderId the sender's relay-assigned id, or 0 if it is no longer online
     * @param senderNickname the sender's nickname
     * @param text the message text
     * @param isPrivate {@code true} for a private message to this client, {@code false} for a public one
     */
    public ChatMessage(int senderId, String senderNickname, String text, boolean isPrivate) {
        this(senderId, senderNickname, text, isPrivate, null);
    }

    /**
     * Creates a message received by a client, which the replies go through.
     *
     * @param senderId the sender's relay-assigned id, or 0 if it is no longer online
     * @param senderNickname the sender's nickname
     * @param text the message text
     * @param isPrivate {@code true} for a private message to this client, {@code false} for a public one
     * @param receiver the client that received it, or {@code null} if it cannot be replied to
     */
    public ChatMessage(int senderId, String senderNickname, String text, boolean isPrivate, ChatClient receiver) {
        this(senderId, senderNickname, text, isPrivate, receiver, null);
    }

    /**
     * Creates a message that the relay stored while this client was offline.
     *
     * @param senderId the sender's client id, or 0 if it is not online now
     * @param senderNickname the sender's nickname
     * @param text the text
     * @param isPrivate whether it was sent to this client alone
     * @param receiver the client that received it, to reply through; {@code null} for a message made by hand
     * @param sentAt when the relay stored it, or {@code null} for a message delivered live
     */
    public ChatMessage(int senderId, String senderNickname, String text, boolean isPrivate, ChatClient receiver,
            Instant sentAt) {
        this.sentAt = sentAt;
        this.senderId = senderId;
        this.senderNickname = Objects.requireNonNull(senderNickname, "senderNickname");
        this.text = Objects.requireNonNull(text, "text");
        this.isPrivate = isPrivate;
        this.receiver = receiver;
    }

    /**
     * The sender's relay-assigned id.
     *
     * @return the id, or 0 if the sender was no longer online when the message was read
     */
    public int senderId() {
        return senderId;
    }

    /**
     * The sender's nickname.
     *
     * @return the nickname as the relay spells it
     */
    public String senderNickname() {
        return senderNickname;
    }

    /**
     * The message text.
     *
     * @return the text
     */
    public String text() {
        return text;
    }

    /**
     * Whether the message was sent to this client alone.
     *
     * @return {@code true} for a private message, {@code false} for a public one
     */
    public boolean isPrivate() {
        return isPrivate;
    }

    /**
     * When the relay stored this message for this client, which was offline; empty for a message delivered live (it
     * was sent just now).
     *
     * @return the time the relay stored it
     */
    public Optional<Instant> sentAt() {
        return Optional.ofNullable(sentAt);
    }

    /**
     * Whether the relay stored this message while this client was offline and delivered it on connecting.
     *
     * @return {@code true} for a stored message
     */
    public boolean wasStored() {
        return sentAt != null;
    }

    /**
     * Answers where the message came from: a private reply to the sender for a private message, a public message to
     * the room for a public one. The same as calling the receiving client's {@code sendPrivate} or {@code sendPublic},
     * so it may be called from a callback; do not wait for the future there (chain on it instead).
     *
     * @param text the reply, as for {@link ChatClient#sendPublic(String)}
     * @return the future of its delivery, as the client's send returns it
     * @throws IllegalArgumentException if the text is empty or too long
     * @throws IllegalStateException if this message was not received by a client (made by the program itself)
     */
    public ChatFuture<DeliveryStatus> reply(String text) {
        return isPrivate ? replyPrivately(text) : receiver().sendPublic(text);
    }

    /**
     * Answers the sender alone, with a private message, whether this message was private or public.
     *
     * @param text the reply, as for {@link ChatClient#sendPublic(String)}
     * @return the future of its delivery; it fails with {@link UnknownRecipientException} if the sender left
     * @throws IllegalArgumentException if the text is empty or too long
     * @throws IllegalStateException if this message was not received by a client (made by the program itself)
     */
    public ChatFuture<DeliveryStatus> replyPrivately(String text) {
        ChatClient client = receiver();
        // By id while the sender is online: a newcomer who took the nickname since is not the sender.
        return senderId > 0 ? client.sendPrivate(senderId, text) : client.sendPrivate(senderNickname, text);
    }

    private ChatClient receiver() {
        if (receiver == null) {
            throw new IllegalStateException("this message was not received by a ChatClient, so it has no client to"
                    + " reply through");
        }
        return receiver;
    }

    /**
     * Compares the four fields.
     *
     * @param o another object
     * @return whether it is a message with the same sender, text and kind
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ChatMessage m && m.senderId == senderId && m.isPrivate == isPrivate
                && m.senderNickname.equals(senderNickname) && m.text.equals(text) && Objects.equals(m.sentAt, sentAt);
    }

    /**
     * Hashes the four fields.
     *
     * @return a hash consistent with {@link #equals(Object)}
     */
    @Override
    public int hashCode() {
        return Objects.hash(senderId, senderNickname, text, isPrivate, sentAt);
    }

    /**
     * Describes the message without its text (which may be confidential: logs are not).
     *
     * @return the sender, the kind and the text's length
     */
    @Override
    public String toString() {
        return "ChatMessage[from " + senderNickname + " (" + senderId + "), " + (isPrivate ? "private" : "public")
                + ", " + text.length() + " chars" + (sentAt == null ? "" : ", stored at " + sentAt) + "]";
    }
}
