package io.securecomm.wire;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * Client to relay: one end-to-end encrypted room message, for the members its sender knows of. The relay fans
 * the same bytes out, as a {@link RoomEnvelope}, to each listed member that is still online, and answers
 * {@link Delivered}. A member the sender did not list (one that joined while the message was on its way, and so
 * holds no key for it) does not get it.
 *
 * @param requestId chosen by the client, greater than 0, echoed in the answer
 * @param recipientIds the members to deliver to: distinct client ids, at most
 *     {@link Limits#CLIENT_LIST_MAX_ENTRIES}; may be empty (a room of one)
 * @param ciphertext the opaque room message, 1 to {@link Limits#ENVELOPE_FIELD_MAX_BYTES} bytes
 */
public record SendRoomEnvelope(long requestId, int[] recipientIds, byte[] ciphertext) implements Message {
    /**
     * Checks the fields and copies the arrays.
     *
     * @param requestId chosen by the client, greater than 0, echoed in the answer
     * @param recipientIds distinct client ids, each at least 1, at most {@link Limits#CLIENT_LIST_MAX_ENTRIES}
     * @param ciphertext the opaque room message, 1 to {@link Limits#ENVELOPE_FIELD_MAX_BYTES} bytes
     * @throws IllegalArgumentException if a field is out of range or over its cap, or an id repeats
     */
    public SendRoomEnvelope {
        Fields.requestId(requestId);
        Objects.requireNonNull(recipientIds, "recipientIds");
        if (recipientIds.length > Limits.CLIENT_LIST_MAX_ENTRIES) {
            throw new IllegalArgumentException("recipientIds has " + recipientIds.length
                    + " entries, above the limit of " + Limits.CLIENT_LIST_MAX_ENTRIES);
        }
        recipientIds = recipientIds.clone();
        Set<Integer> seen = new HashSet<>();
        for (int id : recipientIds) {
            Fields.clientId(id, "recipientIds[]");
            if (!seen.add(id)) {
                throw new IllegalArgumentException("recipientIds lists client " + id + " twice");
            }
        }
        ciphertext = Fields.bytes(ciphertext, "ciphertext", Limits.ENVELOPE_FIELD_MAX_BYTES);
    }

    @Override
    public MessageType type() {
        return MessageType.SEND_ROOM_ENVELOPE;
    }

    /**
     * Returns a copy of the recipients.
     *
     * @return a fresh copy
     */
    @Override
    public int[] recipientIds() {
        return recipientIds.clone();
    }

    /**
     * Returns a copy of ciphertext.
     *
     * @return a fresh copy
     */
    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    /**
     * Compares all fields, the arrays by content.
     *
     * @param o the other object
     * @return {@code true} if equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof SendRoomEnvelope other && requestId == other.requestId
                && Arrays.equals(recipientIds, other.recipientIds) && Arrays.equals(ciphertext, other.ciphertext);
    }

    /**
     * Hashes all fields, the arrays by content.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(requestId, Arrays.hashCode(recipientIds), Arrays.hashCode(ciphertext));
    }

    /**
     * Shows the fields; the ciphertext only by length (it is opaque to the relay).
     *
     * @return a description for logs
     */
    @Override
    public String toString() {
        return "SendRoomEnvelope[requestId=" + requestId + ", recipientIds=" + Arrays.toString(recipientIds)
                + ", ciphertext=<" + ciphertext.length + " bytes>]";
    }
}
