package io.securecomm.e2e;

import java.util.Objects;

/**
 * A known peer's identity key changed: the key remembered on first use and the key it presents now.
 *
 * @param peer the peer's name
 * @param previous the identity key remembered for the peer
 * @param current the identity key the peer (or someone in between) presents now
 */
public record IdentityChange(String peer, IdentityKey previous, IdentityKey current) {
    /**
     * Creates the change.
     *
     * @param peer the peer's name
     * @param previous the remembered key
     * @param current the new key
     */
    public IdentityChange {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(current, "current");
    }
}
