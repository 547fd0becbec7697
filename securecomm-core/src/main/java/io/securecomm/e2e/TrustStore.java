package io.securecomm.e2e;

import io.securecomm.wire.Nickname;
import java.util.Objects;
import java.util.Optional;

/**
 * Trust on first use over an {@link IdentityStore}: the first identity key seen for a peer is
 * remembered; when a different key shows up later in a message that authenticates under it, the change is
 * recorded and refused ({@link TrustDecision#CHANGED}, {@link UntrustedIdentityException}): nothing is sent to
 * the peer until the user either {@linkplain #acceptPendingChange accepts} the key they compared or
 * {@linkplain #rejectChange rejects} the change. A user who compared {@link SafetyNumber}s marks the peer
 * {@linkplain #markVerified verified}.
 *
 * <p>Peers are named by nickname and remembered under its canonical form ({@link Nickname#canonical}): {@code Alice}
 * and {@code alice} are one peer, so a key presented under either spelling is checked against the same entry, and a
 * different one is a change, never a new peer trusted on first use.
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
        Objects.requireNonNull(key, "key");
        Optional<TrustedIdentity> known = store.loadTrustedIdentity(name(peer));
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
        String p = name(peer);
        TrustDecision d = check(p, key);
        if (d == TrustDecision.FIRST_USE) {
            if (rememberFirstUse) {
                store.saveTrustedIdentity(p, new TrustedIdentity(key, false));
            }
            return d;
        }
        if (d != TrustDecision.CHANGED) {
            return d;
        }
        TrustedIdentity known = store.loadTrustedIdentity(p).orElseThrow();
        if (!known.key().equals(key)) {
            throw recordChange(p, key);
        }
        if (!refusePending) {
            return known.verified() ? TrustDecision.VERIFIED : TrustDecision.TRUSTED;
        }
        throw new UntrustedIdentityException(new IdentityChange(p, known.key(), known.changedTo()));
    }

    /**
     * Records that a known peer presented a different key, in a message that authenticated under that key (a
     * bundle whose signatures verify, a pre-key message that decrypted), as the change awaiting the user's
     * decision; the latest such key replaces an earlier pending one. The trusted key stays trusted.
     *
     * @return the exception that refuses the message
     */
    synchronized UntrustedIdentityException recordChange(String peer, IdentityKey key) {
        String p = name(peer);
        TrustedIdentity known = store.loadTrustedIdentity(p).orElseThrow(() ->
                new IllegalStateException("no identity remembered for '" + p + "'"));
        store.saveTrustedIdentity(p, new TrustedIdentity(known.key(), known.verified(), key));
        return new UntrustedIdentityException(new IdentityChange(p, known.key(), key));
    }

    /**
     * Returns the change awaiting the user's decision for a peer, if any.
     *
     * @param peer the peer's name
     * @return the change, or empty
     */
    public synchronized Optional<IdentityChange> pendingChange(String peer) {
        String p = name(peer);
        return store.loadTrustedIdentity(p).filter(t -> t.changedTo() != null)
                .map(t -> new IdentityChange(p, t.key(), t.changedTo()));
    }

    /**
     * The user accepts a key for a peer that they compared out of band (its {@link SafetyNumber}): it replaces
     * the remembered one, unverified, and clears any pending change. The session states of the old key are
     * discarded the next time {@link SessionCipher} loads them, so nothing of the replaced identity is sent to
     * or accepted from again; a new session is needed. Prefer {@link #acceptPendingChange}, which also checks
     * that the key is the one the warning was about.
     *
     * @param peer the peer's name
     * @param key the new key, exactly the one whose safety number the user compared
     */
    public synchronized void acceptIdentity(String peer, IdentityKey key) {
        Objects.requireNonNull(key, "key");
        store.saveTrustedIdentity(name(peer), new TrustedIdentity(key, false));
    }

    /**
     * The user accepts the pending change, bound to the key they compared: only if {@code compared} is the key
     * now pending is it trusted ({@link #acceptIdentity}). The pending key is the latest that authenticated, so
     * someone who presents yet another key while the user compares numbers makes this refuse instead of
     * slipping their key in.
     *
     * @param peer the peer's name
     * @param compared the key whose safety number the user compared
     * @throws IllegalStateException if no change is pending, or the pending key is not {@code compared}
     *     (nothing is changed)
     */
    public synchronized void acceptPendingChange(String peer, IdentityKey compared) {
        Objects.requireNonNull(compared, "compared");
        IdentityChange pending = pendingChange(peer).orElseThrow(() ->
                new IllegalStateException("no identity change is pending for '" + name(peer) + "'"));
        if (!pending.current().equals(compared)) {
            throw new IllegalStateException("the key pending for '" + pending.peer() + "' ("
                    + pending.current().fingerprint() + ") is not the key compared (" + compared.fingerprint()
                    + "); nothing was accepted");
        }
        acceptIdentity(peer, compared);
    }

    /**
     * The user rejects a pending change (for instance, the safety number did not match): the old key stays
     * trusted, as verified as it was, and sending resumes.
     *
     * @param peer the peer's name
     * @return {@code true} if a change was pending (and is now dropped), {@code false} if there was none
     */
    public synchronized boolean rejectChange(String peer) {
        String p = name(peer);
        Optional<TrustedIdentity> known = store.loadTrustedIdentity(p);
        if (known.isEmpty() || known.get().changedTo() == null) {
            return false;
        }
        store.saveTrustedIdentity(p, new TrustedIdentity(known.get().key(), known.get().verified()));
        return true;
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
        String p = name(peer);
        TrustedIdentity known = store.loadTrustedIdentity(p)
                .orElseThrow(() -> new IllegalStateException("no identity remembered for '" + p + "'"));
        if (!known.key().equals(key)) {
            throw new IllegalStateException("the key compared is not the key remembered for '" + p + "'");
        }
        store.saveTrustedIdentity(p, new TrustedIdentity(key, true, known.changedTo()));
    }

    /**
     * Returns what is remembered for a peer.
     *
     * @param peer the peer's name
     * @return the remembered identity, or empty
     */
    public Optional<TrustedIdentity> trustedIdentity(String peer) {
        return store.loadTrustedIdentity(name(peer));
    }

    /** The key a peer is remembered under: its nickname's canonical form. */
    private static String name(String peer) {
        return Nickname.canonical(Objects.requireNonNull(peer, "peer"));
    }
}
