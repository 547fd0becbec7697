package io.securecomm.wire;

/**
 * Client to relay: a text for one other client. Answered by {@link Delivered} or {@link ErrorReply}; the
 * recipient receives a {@link PrivateMessage}.
 *
 * <p>The relay reads this text: it is private from other clients, not from the relay. End-to-end
 * encrypted envelopes are a later addition.
 *
 * <p>{@link #toString()} shows the text's length, not the text, so that logs do not collect chats.
 *
 * @param requestId chosen by the client, greater than 0, echoed in the answer
 * @param recipientId the recipient's client id, at least 1
 * @param text the text, at most {@link Limits#TEXT_FIELD_MAX_BYTES} UTF-8 bytes; the relay checks
 *     {@link Limits#isValidText(String)}
 */
public record SendPrivate(long requestId, int recipientId, String text) implements Message {
    /**
     * Checks the fields.
     *
     * @param requestId chosen by the client, greater than 0, echoed in the answer
     * @param recipientId the recipient's client id, at least 1
     * @param text the text, at most {@link Limits#TEXT_FIELD_MAX_BYTES} UTF-8 bytes; the relay checks
     *     {@link Limits#isValidText(String)}
     * @throws IllegalArgumentException if {@code requestId <= 0}, {@code recipientId < 1} or the text is
     *     over its cap
     */
    public SendPrivate {
        Fields.requestId(requestId);
        Fields.clientId(recipientId, "recipientId");
        Fields.string(text, "text", Limits.TEXT_FIELD_MAX_BYTES);
    }

    @Override
    public MessageType type() {
        return MessageType.SEND_PRIVATE;
    }

    /**
     * Describes the message without its text.
     *
     * @return the request id, the recipient and the text's length
     */
    @Override
    public String toString() {
        return "SendPrivate[requestId=" + requestId + ", recipientId=" + recipientId
                + ", text=" + Fields.redacted(text) + "]";
    }
}
