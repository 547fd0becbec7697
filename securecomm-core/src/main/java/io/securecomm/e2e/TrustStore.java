package io.securecomm.e2e;

import java.util.Objects;
import java.util.Optional;

/**
 * Trust on first use over an {@link IdentityStore}: the first identity key seen for a peer is
 * remembered; a different key later is {@link TrustDecision#CHANGED} and refused (with an
 * {@link UntrustedIdentityException}) until the user {@linkplain #acceptIdentity accepts} it. A user who
 * compared {@link SafetyNumber}s marks the peer {@linkplain #markVerified verified}.
 *
 * <p>Thread-safe if the underlying store is (decisions are made under this object's lock).
 */
public final class TrustStore {
    private final IdentityStore store;

    /**
     * Creates the trust policy over a store.
     *
     * @param store where identities are remembered
     */
    public TrustStore(IdentityStore store) {
        this.store = Objects.requireNonNull(store, "store");
    }

    /**
     * Decides about a peer's key without remembering anything.
     *
     * @param peer the peer's name
     * @param key the key it presents
     * @return {@link TrustDecision#FIRST_USE}, {@link TrustDecision#TRUSTED}, {@link TrustDecision#VERIFIED}
     *     or {@link TrustDecision#CHANGED}
     */
    public synchronized TrustDecision check(String peer, IdentityKey key) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(key, "key");
        Optional<TrustedIdentity> known = store.loadTrustedIdentity(peer);
        if (known.isEmpty()) {
            return TrustDecision.FIRST_USE;
        }
        if (!known.get().key().equals(key)) {
            return TrustDecision.CHANGED;
        }
        return known.get().verified() ? TrustDecision.VERIFIED : TrustDecision.TRUSTED;
    }

    /**
     * Decides about a peer's key, remembers it on first use, and refuses a changed key.
     *
     * @param peer the peer's name
     * @param key the key it presents
     * @return {@link TrustDecision#FIRST_USE} (now remembered), {@link TrustDecision#TRUSTED} or
     *     {@link TrustDecision#VERIFIED}
     * @throws UntrustedIdentityException if the key differs from the remembered one
     */
    public synchronized TrustDecision checkAndRemember(String peer, IdentityKey key) throws UntrustedIdentityException {
        TrustDecision d = check(peer, key);
        switch (d) {
            case FIRST_USE -> store.saveTrustedIdentity(peer, new TrustedIdentity(key, false));
            case CHANGED -> throw new UntrustedIdentityException(
                    new IdentityChange(peer, store.loadTrustedIdentity(peer).orElseThrow().key(), key));
            default -> { }
        }
        return d;
    }

    /**
     * The user accepts a peer's new key (after a warning); it replaces the remembered one, unverified.
     *
     * @param peer the peer's name
     * @param key the new key
     */
    public synchronized void acceptIdentity(String peer, IdentityKey key) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(key, "key");
        store.saveTrustedIdentity(peer, new TrustedIdentity(key, false));
    }

    /**
     * The user compared safety numbers and they matched: mark the peer's remembered key verified.
     *
     * @param peer the peer's name
     * @param key the key whose safety number was compared
     * @throws IllegalStateException if {@code key} is not the key remembered for the peer
     */
    public synchronized void markVerified(String peer, IdentityKey key) {
        Objects.requireNonNull(key, "key");
        TrustedIdentity known = store.loadTrustedIdentity(peer)
                .orElseThrow(() -> new IllegalStateException("no identity remembered for '" + peer + "'"));
        if (!known.key().equals(key)) {
            throw new IllegalStateException("the key compared is not the key remembered for '" + peer + "'");
        }
        store.saveTrustedIdentity(peer, new TrustedIdentity(key, true));
    }

    /**
     * Returns what is remembered for a peer.
     *
     * @param peer the peer's name
     * @return the remembered identity, or empty
     */
    public Optional<TrustedIdentity> trustedIdentity(String peer) {
        return store.loadTrustedIdentity(peer);
    }
}
