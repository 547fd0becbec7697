package io.securecomm.client;

import java.nio.file.Path;

/**
 * Decides whether to trust a relay's identity key. There is no default: a {@link ChatClientOptions} is built only
 * once the application has chosen one of
 * <ul>
 *   <li>{@link #knownKey(byte[])}: the relay's key, obtained out of band (the relay prints its fingerprint; an
 *       embedded relay has {@code RelayServer.identityPublicKey()}). Nothing is trusted on first use: the safe
 *       choice;</li>
 *   <li>{@link #knownRelaysFile(Path)}: ssh's {@code known_hosts} model, persistent: the first key seen for an
 *       address is pinned in a file, and a different key later is refused;</li>
 *   <li>{@link #trustOnFirstUseInMemory()}: the same, but forgotten when the store is: every new process trusts
 *       whatever key it sees first. For tests and throw-away tools, and named so that nobody picks it by
 *       accident.</li>
 * </ul>
 *
 * <p>The client calls {@link #verify} during the Noise handshake, after the relay has proved
 * possession of its static key and before the client reveals its own identity, so a refused relay
 * learns nothing about the client.
 *
 * <p>Implementations must be thread-safe: several clients may share one store.
 */
public interface RelayTrustStore {
    /**
     * Checks a relay's identity key against the pin for its address, pinning it if the store trusts on first use
     * and there is none.
     *
     * @param relay the relay address, {@code host:port} as the user typed it
     * @param relayPublicKey the relay's static public key from the handshake
     * @return whether the key was pinned now or matched an existing pin (or the known key)
     * @throws RelayIdentityMismatchException if a different key is pinned for the address (or known)
     * @throws java.io.UncheckedIOException if a file-backed store cannot be read or written
     */
    RelayKeyDecision verify(String relay, byte[] relayPublicKey) throws RelayIdentityMismatchException;

    /**
     * A store that trusts exactly one key, the relay's, which the application already has: nothing is trusted on
     * first use, and any other key is refused with {@link RelayIdentityMismatchException}.
     *
     * @param relayPublicKey the relay's 32-byte X25519 static public key (copied)
     * @return the store; it answers {@link RelayKeyDecision#MATCHES_PIN} for that key, for any address
     * @throws IllegalArgumentException if the key is not 32 bytes
     */
    static RelayTrustStore knownKey(byte[] relayPublicKey) {
        return new KnownRelayKey(relayPublicKey);
    }

    /**
     * A store that pins in memory, for the life of the object: trust on first use per process, so a process that
     * starts talks to whatever relay answers first at an address. For tests and throw-away tools; a real client
     * uses {@link #knownKey(byte[])} or {@link #knownRelaysFile(Path)}.
     *
     * @return a new, empty store
     */
    static RelayTrustStore trustOnFirstUseInMemory() {
        return new TrustOnFirstUseInMemory();
    }

    /**
     * A store backed by a {@code known_relays} text file, one {@code host:port hex-public-key} line per
     * relay ({@code #} starts a comment): trust on first use per address, remembered across runs. The file and its
     * folder are created on first pin, readable and writable by the owner only where the file system supports
     * POSIX permissions. A line written in advance ({@code host:port} and the key in hex) makes the first
     * connection checked too.
     *
     * @param file the file, for example {@code ~/.securecomm/known_relays}
     * @return the store
     */
    static RelayTrustStore knownRelaysFile(Path file) {
        return new KnownRelaysFile(file);
    }
}
