package io.securecomm.relay.store;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A registered nickname and the identity key it belongs to. Immutable; the key array is copied in and out.
 *
 * @param nickname the canonical nickname, as the caller computed it
 * @param identityKey the public identity key the nickname is bound to (opaque to the store)
 * @param registeredAt when the nickname was registered, by the store's clock
 */
public record Account(String nickname, byte[] identityKey, Instant registeredAt) {
    /**
     * Creates the record.
     *
     * @param nickname the canonical nickname
     * @param identityKey the identity key, at least one byte
     * @param registeredAt when it was registered
     * @throws IllegalArgumentException if the nickname or the key is empty
     */
    public Account {
        StoreArguments.requireNickname(nickname, "nickname");
        identityKey = StoreArguments.requireBytes(identityKey, "identityKey");
        Objects.requireNonNull(registeredAt, "registeredAt");
    }

    /**
     * Returns a copy of the identity key.
     *
     * @return the key bytes
     */
    @Override
    public byte[] identityKey() {
        return identityKey.clone();
    }

    /**
     * Whether this account's key is the given one (constant time).
     *
     * @param key a public identity key
     * @return {@code true} if equal
     */
    public boolean isOwnedBy(byte[] key) {
        return MessageDigest.isEqual(identityKey, Objects.requireNonNull(key, "key"));
    }

    /**
     * Equal when nickname, key and registration time are equal.
     *
     * @param o the other object
     * @return whether equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Account a && a.nickname.equals(nickname)
                && MessageDigest.isEqual(a.identityKey, identityKey) && a.registeredAt.equals(registeredAt);
    }

    /**
     * Hashes nickname, key and registration time.
     *
     * @return the hash code
     */
    @Override
    public int hashCode() {
        return Objects.hash(nickname, Arrays.hashCode(identityKey), registeredAt);
    }

    /**
     * Shows the nickname, the key in hex (it is public) and the registration time.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "Account[nickname=" + nickname + ", identityKey=" + HexFormat.of().formatHex(identityKey)
                + ", registeredAt=" + registeredAt + "]";
    }
}
