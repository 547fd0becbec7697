package io.securecomm.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * Relay to client: an end-to-end encrypted room message from another client, forwarded unchanged.
 *
 * @param senderId the sender's client id, at least 1, as the relay saw it
 * @param ciphertext the opaque room message, 1 to {@link Limits#ENVELOPE_FIELD_MAX_BYTES} bytes
 */
public record RoomEnvelope(int senderId, byte[] ciphertext) implements Message {
    /**
     * Checks the fields and copies the bytes.
     *
     * @param senderId the sender's client id, at least 1, as the relay saw it
     * @param ciphertext the opaque room message, 1 to {@link Limits#ENVELOPE_FIELD_MAX_BYTES} bytes
     * @throws IllegalArgumentException if a field is out of range or over its cap
     */
    public RoomEnvelope {
        Fields.clientId(senderId, "senderId");
        ciphertext = Fields.bytes(ciphertext, "ciphertext", Limits.ENVELOPE_FIELD_MAX_BYTES);
    }

    @Override
    public MessageType type() {
        return MessageType.ROOM_ENVELOPE;
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
        return o instanceof RoomEnvelope other && senderId == other.senderId
                && Arrays.equals(ciphertext, other.ciphertext);
    }

    /**
     * Hashes all fields, the bytes by content.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(senderId, Arrays.hashCode(ciphertext));
    }

    /**
     * Shows the fields; byte fields only by length (they are opaque to the relay).
     *
     * @return a description for logs
     */
    @Override
    public String toString() {
        return "RoomEnvelope[" + "senderId=" + senderId + ", " + "ciphertext=<" + ciphertext.length + " bytes>" + "]";
    }
}
