package io.securecomm.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * Relay to client: a pairwise end-to-end message the relay stored for this client while it was offline, with the
 * time the relay stored it and the sender's account. The client acknowledges it ({@link AckStored}) once it has
 * decrypted it and saved its own state; the relay deletes it only then, and delivers it again on the next connection
 * otherwise.
 *
 * @param messageId the relay's id of the stored message, at least 1, increasing in the order stored
 * @param sentAtMillis when the relay stored it, milliseconds since the epoch (UTC)
 * @param senderNickname the sender's nickname
 * @param senderIdentityKey the identity key the sender's account is registered to, 1 to
 *     {@link Limits#IDENTITY_KEY_MAX_BYTES} bytes
 * @param ciphertext exactly the bytes the sender sent
 */
public record StoredEnvelope(long messageId, long sentAtMillis, String senderNickname, byte[] senderIdentityKey,
        byte[] ciphertext) implements Message {
    /**
     * Checks the fields and copies the bytes.
     *
     * @param messageId the relay's id, at least 1
     * @param sentAtMillis when the relay stored it
     * @param senderNickname the sender's nickname
     * @param senderIdentityKey the sender's registered identity key
     * @param ciphertext the envelope body
     * @throws IllegalArgumentException if a field is out of range or over its cap
     */
    public StoredEnvelope {
        if (messageId < 1) {
            throw new IllegalArgumentException("messageId must be >= 1, got " + messageId);
        }
        Fields.string(senderNickname, "senderNickname", Limits.NICKNAME_FIELD_MAX_BYTES);
        senderIdentityKey = Fields.identityKey(senderIdentityKey);
        ciphertext = Fields.bytes(ciphertext, "ciphertext", Limits.ENVELOPE_FIELD_MAX_BYTES);
    }

    @Override
    public MessageType type() {
        return MessageType.STORED_ENVELOPE;
    }

    /**
     * Returns a copy of the sender's identity key.
     *
     * @return a fresh copy
     */
    @Override
    public byte[] senderIdentityKey() {
        return senderIdentityKey.clone();
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
        return o instanceof StoredEnvelope other && messageId == other.messageId
                && sentAtMillis == other.sentAtMillis && senderNickname.equals(other.senderNickname)
                && Arrays.equals(senderIdentityKey, other.senderIdentityKey)
                && Arrays.equals(ciphertext, other.ciphertext);
    }

    /**
     * Hashes all fields, the bytes by content.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(messageId, sentAtMillis, senderNickname, Arrays.hashCode(senderIdentityKey),
                Arrays.hashCode(ciphertext));
    }

    /**
     * Shows the fields; the ciphertext only by length.
     *
     * @return a description for logs
     */
    @Override
    public String toString() {
        return "StoredEnvelope[messageId=" + messageId + ", sentAtMillis=" + sentAtMillis + ", senderNickname="
                + senderNickname + ", ciphertext=<" + ciphertext.length + " bytes>]";
    }
}
