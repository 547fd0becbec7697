package io.securecomm.wire;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * Relay to client: another client joined the room (its hello was accepted).
 *
 * <p>The key array is copied on the way in and out.
 *
 * @param clientId the new client's id, at least 1
 * @param nickname its nickname, at most {@link Limits#NICKNAME_FIELD_MAX_BYTES} UTF-8 bytes
 * @param identityKey its public identity key (its Noise static key), {@link Limits#IDENTITY_KEY_MIN_BYTES}
 *     to {@link Limits#IDENTITY_KEY_MAX_BYTES} bytes
 */
public record Joined(int clientId, String nickname, byte[] identityKey) implements Message {
    /**
     * Checks the fields and copies the key.
     *
     * @param clientId the new client's id, at least 1
     * @param nickname its nickname, at most {@link Limits#NICKNAME_FIELD_MAX_BYTES} UTF-8 bytes
     * @param identityKey its public identity key (its Noise static key), {@link Limits#IDENTITY_KEY_MIN_BYTES}
     *     to {@link Limits#IDENTITY_KEY_MAX_BYTES} bytes
     * @throws IllegalArgumentException if {@code clientId < 1} or a field is over its cap
     */
    public Joined {
        Fields.clientId(clientId, "clientId");
        Fields.string(nickname, "nickname", Limits.NICKNAME_FIELD_MAX_BYTES);
        identityKey = Fields.identityKey(identityKey);
    }

    @Override
    public MessageType type() {
        return MessageType.JOINED;
    }

    /**
     * Returns a copy of the identity key.
     *
     * @return a fresh copy of the public key bytes
     */
    @Override
    public byte[] identityKey() {
        return identityKey.clone();
    }

    /**
     * Compares id, nickname and key bytes.
     *
     * @param o the other object
     * @return {@code true} if {@code o} is a {@code Joined} with equal fields
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Joined other
                && clientId == other.clientId
                && nickname.equals(other.nickname)
                && Arrays.equals(identityKey, other.identityKey);
    }

    /**
     * Hashes id, nickname and key bytes.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return 31 * (31 * clientId + nickname.hashCode()) + Arrays.hashCode(identityKey);
    }

    /**
     * Shows the fields, the public key in hex.
     *
     * @return a description for logs
     */
    @Override
    public String toString() {
        return "Joined[clientId=" + clientId + ", nickname=" + nickname
                + ", identityKey=" + HexFormat.of().formatHex(identityKey) + "]";
    }
}
