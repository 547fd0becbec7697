package io.securecomm.client;

import java.nio.file.Path;

/**
 * Decides whether to trust a relay's identity key, the way ssh's {@code known_hosts} does: the first
 * key seen for an address is pinned, and a different key later is refused.
 *
 * <p>The client calls {@link #verify} during the Noise handshake, after the relay has proved
 * possession of its static key and before the client reveals its own identity, so a refused relay
 * learns nothing about the client.
 *
 * <p>Implementations must be thread-safe: several clients may share one store.
 */
public interface RelayTrustStore {
    /**
     * Checks a relay's identity key against the pin for its address, pinning it if there is none.
     *
     * @param relay the relay address, {@code host:port} as the user typed it
     * @param relayPublicKey the relay's static public key from the handshake
     * @return whether the key was pinned now or matched an existing pin
     * @throws RelayIdentityMismatchException if a different key is pinned for the address
     * @throws java.io.UncheckedIOException if a file-backed store cannot be read or written
     */
    TrustDecision verify(String relay, byte[] relayPublicKey) throws RelayIdentityMismatchException;

    /**
     * A store that pins in memory, for the life of the object (trust on first use per process).
     *
     * @return a new, empty store
     */
    static RelayTrustStore inMemory() {
        return new InMemoryRelayTrustStore();
    }

    /**
     * A store backed by a {@code known_relays} text file, one {@code host:port hex-public-key} line per
     * relay ({@code #} starts a comment). The file and its folder are created on first pin, readable and
     * writable by the owner only where the file system supports POSIX permissions.
     *
     * @param file the file, for example {@code ~/.securecomm/known_relays}
     * @return the store
     */
    static RelayTrustStore knownRelaysFile(Path file) {
        return new KnownRelaysFile(file);
    }
}
