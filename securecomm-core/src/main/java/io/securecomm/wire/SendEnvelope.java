package io.securecomm.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * Client to relay: an end-to-end encrypted pairwise message for one client. The relay cannot read it and forwards it as
 * an {@link Envelope}, answering {@link Delivered} or {@link ErrorReply}.
 *
 * @param requestId chosen by the client, greater than 0, echoed in the answer
 * @param recipientId the recipient's client id, at least 1
 * @param ciphertext the opaque envelope body, 1 to {@link Limits#ENVELOPE_FIELD_MAX_BYTES} bytes
 */
public record SendEnvelope(long requestId, int recipientId, byte[] ciphertext) implements Message {
    /**
     * Checks the fields and copies the bytes.
     *
     * @param requestId chosen by the client, greater than 0, echoed in the answer
     * @param recipientId the recipient's client id, at least 1
     * @param ciphertext the opaque envelope body, 1 to {@link Limits#ENVELOPE_FIELD_MAX_BYTES} bytes
     * @throws IllegalArgumentException if a field is out of range or over its cap
     */
    public SendEnvelope {
        Fields.requestId(requestId);
        Fields.clientId(recipientId, "recipientId");
        ciphertext = Fields.bytes(ciphertext, "ciphertext", Limits.ENVELOPE_FIELD_MAX_BYTES);
    }

    @Override
    public MessageType type() {
        return MessageType.SEND_ENVELOPE;
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
        return o instanceof SendEnvelope other && requestId == other.requestId && recipientId == other.recipientId
                && Arrays.equals(ciphertext, other.ciphertext);
    }

    /**
     * Hashes all fields, the bytes by content.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(requestId, recipientId, Arrays.hashCode(ciphertext));
    }

    /**
     * Shows the fields; byte fields only by length (they are opaque to the relay).
     *
     * @return a description for logs
     */
    @Override
    public String toString() {
        return "SendEnvelope[" + "requestId=" + requestId + ", " + "recipientId=" + recipientId + ", " + "ciphertext=<"
                + ciphertext.length + " bytes>" + "]";
    }
}
