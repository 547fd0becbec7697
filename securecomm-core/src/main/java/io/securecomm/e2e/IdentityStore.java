package io.securecomm.e2e;

import java.util.Optional;

/**
 * Stores this client's identity and the identity keys it remembers for peers (as libsignal's
 * {@code IdentityKeyStore}). Trust decisions are made by {@link TrustStore} on top of this storage.
 * Implementations must be safe for use from one thread at a time at least; the ones here are
 * thread-safe.
 */
public interface IdentityStore {
    /**
     * Returns this client's identity.
     *
     * @return the identity key pair, owned by the store (do not close it)
     */
    IdentityKeyPair identityKeyPair();

    /**
     * Returns what is remembered for a peer.
     *
     * @param peer the peer's name
     * @return the remembered identity, or empty for a peer never seen
     */
    Optional<TrustedIdentity> loadTrustedIdentity(String peer);

    /**
     * Remembers a peer's identity, replacing what was remembered.
     *
     * @param peer the peer's name
     * @param identity the identity to remember
     */
    void saveTrustedIdentity(String peer, TrustedIdentity identity);
}
