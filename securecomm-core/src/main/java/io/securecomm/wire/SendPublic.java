package io.securecomm.wire;

/**
 * Client to relay: a text for every other client in the room. Answered by {@link Delivered} or
 * {@link ErrorReply}; the others receive a {@link PublicMessage}.
 *
 * <p>{@link #toString()} shows the text's length, not the text, so that logs do not collect chats.
 *
 * @param requestId chosen by the client, greater than 0, echoed in the answer
 * @param text the text, at most {@link Limits#TEXT_FIELD_MAX_BYTES} UTF-8 bytes; the relay checks
 *     {@link Limits#isValidText(String)}
 */
public record SendPublic(long requestId, String text) implements Message {
    /**
     * Checks the fields.
     *
     * @param requestId chosen by the client, greater than 0, echoed in the answer
     * @param text the text, at most {@link Limits#TEXT_FIELD_MAX_BYTES} UTF-8 bytes; the relay checks
     *     {@link Limits#isValidText(String)}
     * @throws IllegalArgumentException if {@code requestId <= 0} or the text is over its cap
     */
    public SendPublic {
        Fields.requestId(requestId);
        Fields.string(text, "text", Limits.TEXT_FIELD_MAX_BYTES);
    }

    @Override
    public MessageType type() {
        return MessageType.SEND_PUBLIC;
    }

    /**
     * Describes the message without its text.
     *
     * @return the request id and the text's length
     */
    @Override
    public String toString() {
        return "SendPublic[requestId=" + requestId + ", text=" + Fields.redacted(text) + "]";
    }
}
