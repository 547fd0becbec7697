package io.securecomm.wire;

import java.util.Arrays;
import java.util.Objects;

/**
 * Relay to client: one pre-key bundle of an account's holder, with the identity key the account is registered to.
 * Its one-time pre-keys are consumed as for {@link PreKeyBundleResponse}.
 *
 * @param requestId of the request
 * @param nickname the account's nickname, as registered
 * @param identityKey the identity key the account is registered to
 * @param bundle an encoded {@code PreKeyBundle}, 1 to {@link Limits#PRE_KEY_BUNDLE_FIELD_MAX_BYTES} bytes
 */
public record AccountBundle(long requestId, String nickname, byte[] identityKey, byte[] bundle) implements Message {
    /**
     * Checks the fields and copies the bytes.
     *
     * @param requestId of the request
     * @param nickname the account's nickname
     * @param identityKey the registered identity key
     * @param bundle the encoded bundle
     * @throws IllegalArgumentException if a field is out of range or over its cap
     */
    public AccountBundle {
        Fields.requestId(requestId);
        Fields.string(nickname, "nickname", Limits.NICKNAME_FIELD_MAX_BYTES);
        identityKey = Fields.identityKey(identityKey);
        bundle = Fields.bytes(bundle, "bundle", Limits.PRE_KEY_BUNDLE_FIELD_MAX_BYTES);
    }

    @Override
    public MessageType type() {
        return MessageType.ACCOUNT_BUNDLE;
    }

    /**
     * Returns a copy of the identity key.
     *
     * @return a fresh copy
     */
    @Override
    public byte[] identityKey() {
        return identityKey.clone();
    }

    /**
     * Returns a copy of the bundle.
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
        return o instanceof AccountBundle other && requestId == other.requestId && nickname.equals(other.nickname)
                && Arrays.equals(identityKey, other.identityKey) && Arrays.equals(bundle, other.bundle);
    }

    /**
     * Hashes all fields, the bytes by content.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(requestId, nickname, Arrays.hashCode(identityKey), Arrays.hashCode(bundle));
    }

    /**
     * Shows the fields; the bundle only by length.
     *
     * @return a description for logs
     */
    @Override
    public String toString() {
        return "AccountBundle[requestId=" + requestId + ", nickname=" + nickname + ", bundle=<" + bundle.length
                + " bytes>]";
    }
}
