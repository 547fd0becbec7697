package io.securecomm.e2e;

import java.util.Objects;
import java.util.Optional;

/**
 * Trust on first use over an {@link IdentityStore}: the first identity key seen for a peer is
 * remembered; when a different key shows up later, the change is recorded and refused
 * ({@link TrustDecision#CHANGED}, {@link UntrustedIdentityException}): nothing is sent to the peer until
 * the user either {@linkplain #acceptIdentity accepts} the new key or {@linkplain #rejectChange rejects}
 * it. A user who compared {@link SafetyNumber}s marks the peer {@linkplain #markVerified verified}.
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
     * @return {@link TrustDecision#FIRST_USE}; {@link TrustDecision#CHANGED} if the key differs from the
     *     trusted one or a change awaits the user's decision; else {@link TrustDecision#VERIFIED} or
     *     {@link TrustDecision#TRUSTED}
     */
    public synchronized TrustDecision check(String peer, IdentityKey key) {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(key, "key");
        Optional<TrustedIdentity> known = store.loadTrustedIdentity(peer);
        if (known.isEmpty()) {
            return TrustDecision.FIRST_USE;
        }
        if (!known.get().key().equals(key) || known.get().changedTo() != null) {
            return TrustDecision.CHANGED;
        }
        return known.get().verified() ? TrustDecision.VERIFIED : TrustDecision.TRUSTED;
    }

    /**
     * Decides about a peer's key, remembers it on first use, and records and refuses a changed key.
     *
     * @param peer the peer's name
     * @param key the key it presents
     * @return {@link TrustDecision#FIRST_USE} (now remembered), {@link TrustDecision#TRUSTED} or
     *     {@link TrustDecision#VERIFIED}
     * @throws UntrustedIdentityException if the key differs from the trusted one (the change is recorded),
     *     or an earlier change awaits the user's decision
     */
    public synchronized TrustDecision checkAndRemember(String peer, IdentityKey key) throws UntrustedIdentityException {
        return decide(peer, key, true, true);
    }

    /**
     * As {@link #checkAndRemember}, with options: remember a first-seen key or not; refuse the trusted key
     * while a change is pending (for sending) or accept it (for receiving from the trusted key).
     */
    synchronized TrustDecision decide(String peer, IdentityKey key, boolean rememberFirstUse, boolean refusePending)
            throws UntrustedIdentityException {
        TrustDecision d = check(peer, key);
        if (d == TrustDecision.CHANGED && !refusePending) {
            TrustedIdentity known = store.loadTrustedIdentity(peer).orElseThrow();
            if (known.key().equals(key)) {
                return known.verified() ? TrustDecision.VERIFIED : TrustDecision.TRUSTED;
            }
        }
        if (d == TrustDecision.FIRST_USE) {
            if (rememberFirstUse) {
                store.saveTrustedIdentity(peer, new TrustedIdentity(key, false));
            }
        } else if (d == TrustDecision.CHANGED) {
            TrustedIdentity known = store.loadTrustedIdentity(peer).orElseThrow();
            IdentityKey other = known.key().equals(key) ? known.changedTo() : key;
            if (!known.key().equals(key)) {
                store.saveTrustedIdentity(peer, new TrustedIdentity(known.key(), known.verified(), key));
            }
            throw new UntrustedIdentityException(new IdentityChange(peer, known.key(), other));
        }
        return d;
    }

    /**
     * Returns the change awaiting the user's decision for a peer, if any.
     *
     * @param peer the peer's name
     * @return the change, or empty
     */
    public synchronized Optional<IdentityChange> pendingChange(String peer) {
        return store.loadTrustedIdentity(peer).filter(t -> t.changedTo() != null)
                .map(t -> new IdentityChange(peer, t.key(), t.changedTo()));
    }

    /**
     * The user accepts a peer's new key (after the warning); it replaces the remembered one, unverified.
     * Sessions with the old key can no longer send; a new session is needed.
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
     * The user rejects a pending change (for instance, the safety number did not match): the old key stays
     * trusted and sending resumes.
     *
     * @param peer the peer's name
     */
    public synchronized void rejectChange(String peer) {
        store.loadTrustedIdentity(peer).ifPresent(t ->
                store.saveTrustedIdentity(peer, new TrustedIdentity(t.key(), t.verified())));
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
        store.saveTrustedIdentity(peer, new TrustedIdentity(key, true, known.changedTo()));
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
