package io.securecomm.relay.store;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * A message queued for a recipient. Immutable; the envelope array is copied in and out.
 *
 * @param messageId the id the store assigned: positive, unique in the store for its whole life, increasing in
 *     the order messages were stored
 * @param recipient the recipient's canonical nickname
 * @param sender the sender, as the relay named it when storing (opaque to the store)
 * @param sentAt when the relay stored the message, by the store's clock, to the millisecond
 * @param envelope the end-to-end ciphertext envelope, exactly as the sender sent it
 */
public record StoredMessage(long messageId, String recipient, String sender, Instant sentAt, byte[] envelope) {
    /**
     * Creates the record.
     *
     * @param messageId the id, positive
     * @param recipient the recipient
     * @param sender the sender
     * @param sentAt when it was stored
     * @param envelope the envelope, at least one byte
     * @throws IllegalArgumentException if the id is not positive, or a string or the envelope is empty
     */
    public StoredMessage {
        if (messageId <= 0) {
            throw new IllegalArgumentException("messageId must be positive, was " + messageId);
        }
        StoreArguments.requireNickname(recipient, "recipient");
        StoreArguments.requireNickname(sender, "sender");
        Objects.requireNonNull(sentAt, "sentAt");
        envelope = StoreArguments.requireBytes(envelope, "envelope");
    }

    /**
     * Returns a copy of the envelope.
     *
     * @return the ciphertext envelope
     */
    @Override
    public byte[] envelope() {
        return envelope.clone();
    }

    /**
     * The envelope's size.
     *
     * @return its length in bytes (what counts against {@link StoreLimits#maxQueuedBytesPerRecipient()})
     */
    public int envelopeBytes() {
        return envelope.length;
    }

    /**
     * Equal when every component is equal.
     *
     * @param o the other object
     * @return whether equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof StoredMessage m && m.messageId == messageId && m.recipient.equals(recipient)
                && m.sender.equals(sender) && m.sentAt.equals(sentAt) && Arrays.equals(m.envelope, envelope);
    }

    /**
     * Hashes every component.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(messageId, recipient, sender, sentAt, Arrays.hashCode(envelope));
    }

    /**
     * Shows everything but the envelope's bytes (only its length).
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "StoredMessage[messageId=" + messageId + ", recipient=" + recipient + ", sender=" + sender
                + ", sentAt=" + sentAt + ", " + envelope.length + " bytes]";
    }
}
