package io.securecomm.client;

/** What a {@link RelayTrustStore} decided about a relay's identity key. */
public enum RelayKeyDecision {
    /** No key was pinned for the relay yet: the presented key is now pinned (trust on first use). */
    PINNED_ON_FIRST_USE,
    /** The presented key equals the pinned key (or the one key a {@link RelayTrustStore#knownKey} store knows). */
    MATCHES_PIN,
    /**
     * INSECURE: the session uses the legacy suite (only with {@code ChatClientOptions.Builder#insecureLegacyCrypto}),
     * which authenticates nothing: no relay key was presented, checked or pinned.
     */
    NOT_AUTHENTICATED_INSECURE_LEGACY
}
