package io.securecomm.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * Client to relay: publishes this client's pre-keys, an encoded {@code io.securecomm.e2e.PreKeyUpload}. The relay
 * verifies its signatures and that its identity's X25519 key is the client's Noise static key, keeps it in memory while
 * the client is online, and answers {@link Delivered}; a later upload replaces the signed pre-key and adds its one-time
 * pre-keys.
 *
 * @param requestId chosen by the client, greater than 0, echoed in the answer
 * @param preKeys the encoded upload, 1 to {@link Limits#PRE_KEYS_FIELD_MAX_BYTES} bytes
 */
public record UploadPreKeys(long requestId, byte[] preKeys) implements Message {
    /**
     * Checks the fields and copies the bytes.
     *
     * @param requestId chosen by the client, greater than 0, echoed in the answer
     * @param preKeys the encoded upload, 1 to {@link Limits#PRE_KEYS_FIELD_MAX_BYTES} bytes
     * @throws IllegalArgumentException if a field is out of range or over its cap
     */
    public UploadPreKeys {
        Fields.requestId(requestId);
        preKeys = Fields.bytes(preKeys, "preKeys", Limits.PRE_KEYS_FIELD_MAX_BYTES);
    }

    @Override
    public MessageType type() {
        return MessageType.UPLOAD_PRE_KEYS;
    }

    /**
     * Returns a copy of preKeys.
     *
     * @return a fresh copy
     */
    @Override
    public byte[] preKeys() {
        return preKeys.clone();
    }

    /**
     * Compares all fields, the bytes by content.
     *
     * @param o the other object
     * @return {@code true} if equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof UploadPreKeys other && requestId == other.requestId
                && Arrays.equals(preKeys, other.preKeys);
    }

    /**
     * Hashes all fields, the bytes by content.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(requestId, Arrays.hashCode(preKeys));
    }

    /**
     * Shows the fields; byte fields only by length (they are opaque to the relay).
     *
     * @return a description for logs
     */
    @Override
    public String toString() {
        return "UploadPreKeys[" + "requestId=" + requestId + ", " + "preKeys=<" + preKeys.length + " bytes>" + "]";
    }
}
