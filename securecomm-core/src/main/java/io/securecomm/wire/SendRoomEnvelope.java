package io.securecomm.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * Client to relay: one end-to-end encrypted room message; the relay fans the same bytes out to every other client as a {@link RoomEnvelope} and answers {@link Delivered}.
 *
 * @param requestId chosen by the client, greater than 0, echoed in the answer
 * @param ciphertext the opaque room message, 1 to {@link Limits#ENVELOPE_FIELD_MAX_BYTES} bytes
 */
public record SendRoomEnvelope(long requestId, byte[] ciphertext) implements Message {
    /**
     * Checks the fields and copies the bytes.
     *
     * @param requestId chosen by the client, greater than 0, echoed in the answer
     * @param ciphertext the opaque room message, 1 to {@link Limits#ENVELOPE_FIELD_MAX_BYTES} bytes
     * @throws IllegalArgumentException if a field is out of range or over its cap
     */
    public SendRoomEnvelope {
        Fields.requestId(requestId);
        ciphertext = Fields.bytes(ciphertext, "ciphertext", Limits.ENVELOPE_FIELD_MAX_BYTES);
    }

    @Override
    public MessageType type() {
        return MessageType.SEND_ROOM_ENVELOPE;
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
     * Compares all fields, the bytes by content.
     *
     * @param o the other object
     * @return {@code true} if equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof SendRoomEnvelope other && requestId == other.requestId && Arrays.equals(ciphertext, other.ciphertext);
    }

    /**
     * Hashes all fields, the bytes by content.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(requestId, Arrays.hashCode(ciphertext));
    }

    /**
     * Shows the fields; byte fields only by length (they are opaque to the relay).
     *
     * @return a description for logs
     */
    @Override
    public String toString() {
        return "SendRoomEnvelope[" + "requestId=" + requestId + ", " + "ciphertext=<" + ciphertext.length + " bytes>" + "]";
    }
}
