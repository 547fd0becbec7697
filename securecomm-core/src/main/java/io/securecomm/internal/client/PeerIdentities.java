package io.securecomm.internal.client;

import io.securecomm.client.PeerIdentity;
import io.securecomm.client.PeerIdentityChangedException;
import io.securecomm.e2e.IdentityChange;
import io.securecomm.e2e.IdentityKey;
import io.securecomm.e2e.ProtocolStore;
import io.securecomm.e2e.SafetyNumber;
import io.securecomm.e2e.SessionSetup;
import io.securecomm.e2e.TrustStore;
import io.securecomm.e2e.TrustedIdentity;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * What the end-to-end layer knows of identities: this client's name and key, its peers' as the {@link TrustStore}
 * trusts them (on first use), their safety numbers, and the identity changes the user was warned of. A changed
 * identity is reported once per key the peer claims, not once per message: a stream of messages under one new key
 * (9,120 warnings under a flood of forged first messages) is one warning, and a peer that claims yet another key is
 * warned of again.
 *
 * <p>Peers are named by their canonical nickname. Not thread-safe: confined to the client's thread.
 */
final class PeerIdentities {
    private final ProtocolStore store;
    private final TrustStore trust;
    private final Consumer<ClientEvent> events;
    /** Per peer, the changed key last reported to the user: a peer claiming it again is not reported again. */
    private final Map<String, IdentityKey> reportedChanges = new HashMap<>();
    private String localName;
    /** Safety numbers computed, on whichever thread asked (a description's are computed when read). */
    private final AtomicInteger safetyNumbersComputed = new AtomicInteger();

    /**
     * Creates the identities of one client.
     *
     * @param store the protocol store: this client's identity, and what the trust store keeps
     * @param events where warnings go
     */
    PeerIdentities(ProtocolStore store, Consumer<ClientEvent> events) {
        this.store = store;
        this.trust = new TrustStore(store);
        this.events = events;
    }

    /** The relay welcomed this client under this (canonical) name, which its safety numbers and sessions use. */
    void welcomed(String canonicalName) {
        this.localName = canonicalName;
    }

    /** This client's canonical name, once welcomed; {@code null} before. */
    String localName() {
        return localName;
    }

    /** The trust store (trust on first use, verification, pending changes). */
    TrustStore trust() {
        return trust;
    }

    /**
     * Refuses to send to a peer whose identity change the user has not decided on.
     *
     * @throws PeerIdentityChangedException if a change is pending
     */
    void refuseIfChangePending(String peer) throws PeerIdentityChangedException {
        Optional<IdentityChange> pending = trust.pendingChange(peer);
        if (pending.isPresent()) {
            throw changed(pending.get());
        }
    }

    /** The exception the application sees for a change, with the safety number to compare. */
    PeerIdentityChangedException changed(IdentityChange change) {
        return new PeerIdentityChangedException(change.peer(), change.previous().fingerprint(),
                change.current().fingerprint(), safetyNumber(change.current(), change.peer()));
    }

    /**
     * Warns the user of a peer's changed identity, unless the key it claims is the one last warned of.
     *
     * @return the exception describing the change (for a future to fail with)
     */
    PeerIdentityChangedException warnOfChange(String peer, IdentityChange change) {
        PeerIdentityChangedException error = changed(change);
        IdentityKey last = reportedChanges.put(peer, change.current());
        if (!change.current().equals(last)) {
            events.accept(new ClientEvent.IdentityChanged(error));
        }
        return error;
    }

    /** The user decided on a peer's change: a later change is warned of again. */
    void forgetWarnings(String peer) {
        reportedChanges.remove(peer);
    }

    /** The safety number of this client and a peer's key. */
    SafetyNumber safetyNumber(IdentityKey remote, String peer) {
        return safetyNumber(store.identityKeyPair().publicKey(), localName, remote, peer);
    }

    private SafetyNumber safetyNumber(IdentityKey local, String ownName, IdentityKey remote, String peer) {
        safetyNumbersComputed.incrementAndGet();
        return SafetyNumber.of(local, ownName, remote, peer);
    }

    /**
     * A trusted identity as the user sees it. Its safety numbers are computed only if someone asks for them, on the
     * thread that asks (issue 18: a room key handed to 99 members reports 99 identities, about a second of hashing
     * on the client's thread if computed here); what they are computed from is taken now.
     */
    PeerIdentity describe(String peer, TrustedIdentity t, Optional<SessionSetup> session) {
        IdentityKey local = store.identityKeyPair().publicKey();
        String name = localName;
        IdentityKey trusted = t.key();
        Optional<IdentityKey> pending = t.pendingChange();
        return new PeerIdentity(peer, trusted.fingerprint(), () -> safetyNumber(local, name, trusted, peer),
                t.verified(), pending.map(IdentityKey::fingerprint),
                () -> pending.map(k -> safetyNumber(local, name, k, peer)), session);
    }

    /**
     * How many safety numbers this client computed, for tests.
     *
     * @return the count
     */
    int safetyNumbersComputed() {
        return safetyNumbersComputed.get();
    }
}
