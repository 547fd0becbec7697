package io.securecomm.wire;

/**
 * Relay to client: a text another client sent to this client alone.
 *
 * <p>{@link #toString()} shows the text's length, not the text, so that logs do not collect chats.
 *
 * @param senderId the sender's client id, at least 1
 * @param senderNickname the sender's nickname, at most {@link Limits#NICKNAME_FIELD_MAX_BYTES} UTF-8 bytes
 * @param text the text, at most {@link Limits#TEXT_FIELD_MAX_BYTES} UTF-8 bytes
 */
public record PrivateMessage(int senderId, String senderNickname, String text) implements Message {
    /**
     * Checks the fields.
     *
     * @param senderId the sender's client id, at least 1
     * @param senderNickname the sender's nickname, at most {@link Limits#NICKNAME_FIELD_MAX_BYTES} UTF-8 bytes
     * @param text the text, at most {@link Limits#TEXT_FIELD_MAX_BYTES} UTF-8 bytes
     * @throws IllegalArgumentException if {@code senderId < 1} or a string is over its cap
     */
    public PrivateMessage {
        Fields.clientId(senderId, "senderId");
        Fields.string(senderNickname, "senderNickname", Limits.NICKNAME_FIELD_MAX_BYTES);
        Fields.string(text, "text", Limits.TEXT_FIELD_MAX_BYTES);
    }

    @Override
    public MessageType type() {
        return MessageType.PRIVATE_MESSAGE;
    }

    /**
     * Describes the message without its text.
     *
     * @return the sender and the text's length
     */
    @Override
    public String toString() {
        return "PrivateMessage[senderId=" + senderId + ", senderNickname=" + senderNickname
                + ", text=" + Fields.redacted(text) + "]";
    }
}
