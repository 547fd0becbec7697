package io.securecomm.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * Client to relay: an end-to-end encrypted pairwise message for the holder of an account, online or not. The relay
 * writes it to the recipient's connection as an {@link Envelope} when it is online, and stores it otherwise (or when
 * the write fails because the recipient left); it answers {@link DeliveryReport} ({@code DELIVERED} or
 * {@code STORED}) or {@link ErrorReply}.
 *
 * @param requestId chosen by the client, greater than 0, echoed in the answer
 * @param recipient the recipient's nickname (the relay compares canonical forms)
 * @param ciphertext the opaque envelope body, 1 to {@link Limits#ENVELOPE_FIELD_MAX_BYTES} bytes
 */
public record SendToAccount(long requestId, String recipient, byte[] ciphertext) implements Message {
    /**
     * Checks the fields and copies the bytes.
     *
     * @param requestId chosen by the client, greater than 0
     * @param recipient the recipient's nickname
     * @param ciphertext the opaque envelope body
     * @throws IllegalArgumentException if a field is out of range or over its cap
     */
    public SendToAccount {
        Fields.requestId(requestId);
        Fields.string(recipient, "recipient", Limits.NICKNAME_FIELD_MAX_BYTES);
        ciphertext = Fields.bytes(ciphertext, "ciphertext", Limits.ENVELOPE_FIELD_MAX_BYTES);
    }

    @Override
    public MessageType type() {
        return MessageType.SEND_TO_ACCOUNT;
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
        return o instanceof SendToAccount other && requestId == other.requestId && recipient.equals(other.recipient)
                && Arrays.equals(ciphertext, other.ciphertext);
    }

    /**
     * Hashes all fields, the bytes by content.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(requestId, recipient, Arrays.hashCode(ciphertext));
    }

    /**
     * Shows the fields; the ciphertext only by length.
     *
     * @return a description for logs
     */
    @Override
    public String toString() {
        return "SendToAccount[requestId=" + requestId + ", recipient=" + recipient + ", ciphertext=<"
                + ciphertext.length + " bytes>]";
    }
}
