package io.securecomm.e2e;

/** What the trust store concluded about a peer's identity key (trust on first use). */
public enum TrustDecision {
    /** No key was known for the peer; this one is remembered from now on (trust on first use). */
    FIRST_USE,
    /** The key is the one remembered for the peer, not (yet) verified by comparing safety numbers. */
    TRUSTED,
    /** The key is the one remembered for the peer, and the user verified it by comparing safety numbers. */
    VERIFIED,
    /** The peer presents a key different from the remembered one: refuse until the user accepts it. */
    CHANGED
}
