package io.securecomm.wire;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A connected client and its identity key: one entry of a {@link ClientList}, or the client a {@link Joined}
 * announces.
 *
 * <p>The key is the raw public key of the client's Noise static key pair, so each client computes
 * fingerprints itself and need not trust the relay for them. The array is copied on the way in and out.
 *
 * @param clientId the client's id, at least 1
 * @param nickname the client's nickname, at most {@link Limits#NICKNAME_FIELD_MAX_BYTES} UTF-8 bytes
 * @param identityKey the client's public identity key, {@link Limits#IDENTITY_KEY_MIN_BYTES} to
 *     {@link Limits#IDENTITY_KEY_MAX_BYTES} bytes
 */
public record ClientInfo(int clientId, String nickname, byte[] identityKey) {
    /**
     * Checks the fields and copies the key.
     *
     * @param clientId the client's id, at least 1
     * @param nickname the client's nickname, at most {@link Limits#NICKNAME_FIELD_MAX_BYTES} UTF-8 bytes
     * @param identityKey the client's public identity key, {@link Limits#IDENTITY_KEY_MIN_BYTES} to
     *     {@link Limits#IDENTITY_KEY_MAX_BYTES} bytes
     * @throws IllegalArgumentException if {@code clientId < 1} or a field is over its cap
     */
    public ClientInfo {
        Fields.clientId(clientId, "clientId");
        Fields.string(nickname, "nickname", Limits.NICKNAME_FIELD_MAX_BYTES);
        identityKey = Fields.identityKey(identityKey);
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
     * @return {@code true} if {@code o} is a {@code ClientInfo} with equal fields
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof ClientInfo other
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
        return "ClientInfo[clientId=" + clientId + ", nickname=" + nickname
                + ", identityKey=" + HexFormat.of().formatHex(identityKey) + "]";
    }
}
