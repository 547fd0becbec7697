package io.securecomm.client;

/** What a {@link RelayTrustStore} decided about a relay's identity key. */
public enum TrustDecision {
    /** No key was pinned for the relay yet: the presented key is now pinned (trust on first use). */
    PINNED_ON_FIRST_USE,
    /** The presented key equals the pinned key. */
    MATCHES_PIN
}
