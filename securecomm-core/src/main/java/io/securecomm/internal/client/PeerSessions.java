package io.securecomm.internal.client;

import io.securecomm.e2e.ProtocolStore;
import io.securecomm.e2e.SessionCipher;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;

/**
 * One {@link SessionCipher} per peer, kept between calls: a cipher holds the decoded session it works on, so a send
 * or a receive reads the protocol store only the first time, and writes it once.
 *
 * <p>Peers are named by their canonical nickname. Not thread-safe: confined to the client's thread.
 */
final class PeerSessions implements AutoCloseable {
    private final ProtocolStore store;
    private final PeerIdentities identities;
    private final SecureRandom random;
    private final Map<String, SessionCipher> ciphers = new HashMap<>();

    PeerSessions(ProtocolStore store, PeerIdentities identities, SecureRandom random) {
        this.store = store;
        this.identities = identities;
        this.random = random;
    }

    /** The cipher of a peer's session, created on first use (this client must have been welcomed). */
    SessionCipher cipher(String peer) {
        return ciphers.computeIfAbsent(peer, p -> new SessionCipher(store, identities.localName(), p, random));
    }

    /** Drops (and wipes) the session kept in memory for a peer: the next use loads the stored one. */
    void forget(String peer) {
        SessionCipher gone = ciphers.remove(peer);
        if (gone != null) {
            gone.close();
        }
    }

    /** Wipes every session kept in memory (best effort); the stored ones stay. */
    @Override
    public void close() {
        ciphers.values().forEach(SessionCipher::close);
        ciphers.clear();
    }
}
