package io.securecomm.e2e;

import java.util.Optional;

/**
 * Stores the pairwise session with each peer as opaque bytes (the encoding is internal to
 * {@code SessionCipher} and versioned), so that a client that reconnects continues its sessions.
 * The bytes hold secret keys: implementations must protect them at rest.
 */
public interface SessionStore {
    /**
     * Loads a peer's session.
     *
     * @param peer the peer's name
     * @return the encoded session, or empty if there is none
     */
    Optional<byte[]> loadSession(String peer);

    /**
     * Stores a peer's session, replacing the previous one.
     *
     * @param peer the peer's name
     * @param session the encoded session
     */
    void storeSession(String peer, byte[] session);

    /**
     * Deletes a peer's session.
     *
     * @param peer the peer's name
     */
    void deleteSession(String peer);
}
