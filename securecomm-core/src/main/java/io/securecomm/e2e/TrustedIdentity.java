package io.securecomm.e2e;

import java.util.Objects;
import java.util.Optional;

/**
 * What an {@link IdentityStore} remembers about a peer: its trusted identity key, whether the user
 * verified it by comparing {@link SafetyNumber}s, and a different key the peer (or someone in between)
 * presented since, which awaits the user's decision.
 *
 * @param key the peer's trusted identity key
 * @param verified whether the user verified {@code key} out of band
 * @param changedTo a different key seen since, awaiting the user's decision, or {@code null}
 */
public record TrustedIdentity(IdentityKey key, boolean verified, IdentityKey changedTo) {
    /**
     * Creates the record.
     *
     * @param key the trusted key
     * @param verified whether the user verified it
     * @param changedTo a pending different key, or {@code null}
     */
    public TrustedIdentity {
        Objects.requireNonNull(key, "key");
    }

    /**
     * Creates a record without a pending change.
     *
     * @param key the trusted key
     * @param verified whether the user verified it
     */
    public TrustedIdentity(IdentityKey key, boolean verified) {
        this(key, verified, null);
    }

    /**
     * Returns the pending different key, if any.
     *
     * @return the key awaiting the user's decision, or empty
     */
    public Optional<IdentityKey> pendingChange() {
        return Optional.ofNullable(changedTo);
    }
}
