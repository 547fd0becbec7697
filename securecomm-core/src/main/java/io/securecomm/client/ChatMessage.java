package io.securecomm.client;

import java.util.Objects;

/**
 * A message received from another client.
 *
 * @param senderId the sender's relay-assigned id
 * @param senderNickname the sender's nickname
 * @param text the message text
 * @param isPrivate {@code true} for a private message to this client, {@code false} for a public one
 */
public record ChatMessage(int senderId, String senderNickname, String text, boolean isPrivate) {
    /**
     * Checks the fields.
     *
     * @param senderId the sender's id
     * @param senderNickname the sender's nickname
     * @param text the text
     * @param isPrivate whether private
     */
    public ChatMessage {
        Objects.requireNonNull(senderNickname, "senderNickname");
        Objects.requireNonNull(text, "text");
    }
}
