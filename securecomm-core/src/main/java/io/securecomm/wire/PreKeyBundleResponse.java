package io.securecomm.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * Relay to client: one pre-key bundle, an encoded {@code io.securecomm.e2e.PreKeyBundle}, which the client verifies
 * itself.
 *
 * @param requestId of the {@link PreKeyBundleRequest}, greater than 0
 * @param clientId the client the bundle belongs to, at least 1
 * @param bundle the encoded bundle, 1 to {@link Limits#PRE_KEY_BUNDLE_FIELD_MAX_BYTES} bytes
 */
public record PreKeyBundleResponse(long requestId, int clientId, byte[] bundle) implements Message {
    /**
     * Checks the fields and copies the bytes.
     *
     * @param requestId of the {@link PreKeyBundleRequest}, greater than 0
     * @param clientId the client the bundle belongs to, at least 1
     * @param bundle the encoded bundle, 1 to {@link Limits#PRE_KEY_BUNDLE_FIELD_MAX_BYTES} bytes
     * @throws IllegalArgumentException if a field is out of range or over its cap
     */
    public PreKeyBundleResponse {
        Fields.requestId(requestId);
        Fields.clientId(clientId, "clientId");
        bundle = Fields.bytes(bundle, "bundle", Limits.PRE_KEY_BUNDLE_FIELD_MAX_BYTES);
    }

    @Override
    public MessageType type() {
        return MessageType.PRE_KEY_BUNDLE_RESPONSE;
    }

    /**
     * Returns a copy of bundle.
     *
     * @return a fresh copy
     */
    @Override
    public byte[] bundle() {
        return bundle.clone();
    }

    /**
     * Compares all fields, the bytes by content.
     *
     * @param o the other object
     * @return {@code true} if equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof PreKeyBundleResponse other && requestId == other.requestId && clientId == other.clientId
                && Arrays.equals(bundle, other.bundle);
    }

    /**
     * Hashes all fields, the bytes by content.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(requestId, clientId, Arrays.hashCode(bundle));
    }

    /**
     * Shows the fields; byte fields only by length (they are opaque to the relay).
     *
     * @return a description for logs
     */
    @Override
    public String toString() {
        return "PreKeyBundleResponse[" + "requestId=" + requestId + ", " + "clientId=" + clientId + ", " + "bundle=<"
                + bundle.length + " bytes>" + "]";
    }
}
