package io.securecomm.e2e;

import java.util.Objects;

/**
 * What an {@link IdentityStore} remembers about a peer: its identity key and whether the user verified
 * it by comparing {@link SafetyNumber}s.
 *
 * @param key the peer's identity key
 * @param verified whether the user verified the key out of band
 */
public record TrustedIdentity(IdentityKey key, boolean verified) {
    /**
     * Creates the record.
     *
     * @param key the peer's identity key
     * @param verified whether the user verified it
     */
    public TrustedIdentity {
        Objects.requireNonNull(key, "key");
    }
}
