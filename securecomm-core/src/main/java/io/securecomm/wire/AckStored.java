package io.securecomm.wire;

import java.util.Arrays;

/**
 * Client to relay: these stored messages ({@link StoredEnvelope}) were decrypted and their effect saved; the relay
 * may delete them. Not answered: an acknowledgement the relay never read only makes it deliver the messages again,
 * and the client drops them by id.
 *
 * @param messageIds 1 to {@link Limits#ACK_MAX_MESSAGE_IDS} message ids, each at least 1
 */
public record AckStored(long[] messageIds) implements Message {
    /**
     * Checks and copies the ids.
     *
     * @param messageIds 1 to {@link Limits#ACK_MAX_MESSAGE_IDS} ids, each at least 1
     * @throws IllegalArgumentException if there are none, too many, or one is below 1
     */
    public AckStored {
        messageIds = messageIds.clone();
        if (messageIds.length < 1 || messageIds.length > Limits.ACK_MAX_MESSAGE_IDS) {
            throw new IllegalArgumentException("messageIds has " + messageIds.length + " ids, expected 1.."
                    + Limits.ACK_MAX_MESSAGE_IDS);
        }
        for (long id : messageIds) {
            if (id < 1) {
                throw new IllegalArgumentException("message id must be >= 1, got " + id);
            }
        }
    }

    @Override
    public MessageType type() {
        return MessageType.ACK_STORED;
    }

    /**
     * Returns a copy of the ids.
     *
     * @return a fresh copy
     */
    @Override
    public long[] messageIds() {
        return messageIds.clone();
    }

    /**
     * Compares the ids.
     *
     * @param o the other object
     * @return {@code true} if equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof AckStored other && Arrays.equals(messageIds, other.messageIds);
    }

    /**
     * Hashes the ids.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Arrays.hashCode(messageIds);
    }

    /**
     * Shows the ids.
     *
     * @return a description for logs
     */
    @Override
    public String toString() {
        return "AckStored" + Arrays.toString(messageIds);
    }
}
