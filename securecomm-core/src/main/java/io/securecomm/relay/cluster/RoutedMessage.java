package io.securecomm.relay.cluster;

import java.util.Arrays;
import java.util.Objects;

/**
 * A message one node routes to clients connected to another: an end-to-end envelope (or a room envelope, or a notice
 * of the relay for the recipient, such as how many one-time pre-keys it has left), already encoded as the recipients
 * will read it ({@code io.securecomm.wire.MessageCodec}), with what the recipients' node
 * needs to decide whether to write it. The cluster carries it as opaque bytes: it holds no key that could read it.
 *
 * @param senderNode the sending node's id
 * @param senderId the sender's client id (every recipient's fair share of its queue is counted per sender)
 * @param recipientIds the recipients, all connected to the node the message is routed to; at least one
 * @param recipientAccount for a message to an account ({@code SendToAccount}), the recipient's canonical nickname,
 *     and then exactly one recipient; empty otherwise
 * @param lastStoredId for a message to an account, the highest store message id the sender's connection had stored
 *     for that account (0 if none): the recipient's node writes it live only once it has sent its client at least
 *     that far, and otherwise answers {@link RouteOutcome#NOT_LIVE}
 * @param encoded the message, encoded (copied in and out)
 */
public record RoutedMessage(String senderNode, int senderId, int[] recipientIds, String recipientAccount,
        long lastStoredId, byte[] encoded) {
    /**
     * Checks and copies the components.
     *
     * @param senderNode the sending node
     * @param senderId the sender's client id
     * @param recipientIds the recipients (copied)
     * @param recipientAccount the account, or empty
     * @param lastStoredId the sender's last stored id for the account, or 0
     * @param encoded the encoded message (copied)
     * @throws IllegalArgumentException if there is no recipient, or an account with more than one, or no message
     */
    public RoutedMessage {
        Objects.requireNonNull(senderNode, "senderNode");
        recipientIds = Objects.requireNonNull(recipientIds, "recipientIds").clone();
        Objects.requireNonNull(recipientAccount, "recipientAccount");
        encoded = Objects.requireNonNull(encoded, "encoded").clone();
        if (recipientIds.length == 0) {
            throw new IllegalArgumentException("a routed message needs at least one recipient");
        }
        if (!recipientAccount.isEmpty() && recipientIds.length != 1) {
            throw new IllegalArgumentException("a message to an account has exactly one recipient");
        }
        if (encoded.length == 0) {
            throw new IllegalArgumentException("the encoded message is empty");
        }
    }

    /**
     * The recipients.
     *
     * @return a copy
     */
    @Override
    public int[] recipientIds() {
        return recipientIds.clone();
    }

    /**
     * The encoded message.
     *
     * @return a copy
     */
    @Override
    public byte[] encoded() {
        return encoded.clone();
    }

    /**
     * Whether the message is for an account (a {@code SendToAccount}), which the recipient's node may answer
     * {@link RouteOutcome#NOT_LIVE}.
     *
     * @return {@code true} if {@link #recipientAccount()} is not empty
     */
    public boolean toAccount() {
        return !recipientAccount.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RoutedMessage m && m.senderNode.equals(senderNode) && m.senderId == senderId
                && Arrays.equals(m.recipientIds, recipientIds) && m.recipientAccount.equals(recipientAccount)
                && m.lastStoredId == lastStoredId && Arrays.equals(m.encoded, encoded);
    }

    @Override
    public int hashCode() {
        return Objects.hash(senderNode, senderId, Arrays.hashCode(recipientIds), recipientAccount, lastStoredId,
                Arrays.hashCode(encoded));
    }

    @Override
    public String toString() {
        return "RoutedMessage[from " + senderNode + "/" + senderId + " to " + Arrays.toString(recipientIds)
                + (recipientAccount.isEmpty() ? "" : " (" + recipientAccount + ")") + ", " + encoded.length
                + " bytes]";
    }
}
