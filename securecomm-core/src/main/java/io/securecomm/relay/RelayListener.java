package io.securecomm.relay;

import java.net.SocketAddress;

/**
 * Observes a relay's clients coming and going, for operators (the {@code securecomm server} command
 * prints these). Every method has an empty default.
 *
 * <p>Threads: callbacks run on the relay's event loops, concurrently for different clients. They must
 * return quickly and never block (hand slow work, such as computing a fingerprint or writing a log
 * file, to another thread); an exception thrown by a callback is ignored.
 */
public interface RelayListener {
    /** A listener that ignores everything. */
    RelayListener NONE = new RelayListener() {};

    /**
     * A client completed the handshake and was admitted.
     *
     * @param clientId the id the relay assigned
     * @param nickname the admitted nickname
     * @param identityKey the client's identity public key (a copy the listener may keep)
     */
    default void onClientJoined(int clientId, String nickname, byte[] identityKey) {}

    /**
     * An admitted client left: called exactly once for every client {@link #onClientJoined} reported, including
     * those still online when the relay shuts down ({@link DepartureReason#RELAY_SHUTDOWN}, or
     * {@link DepartureReason#LEFT} for a client whose goodbye the relay read first). By the time
     * {@link RelayServer#close()} returns, every departure has been reported.
     *
     * @param clientId its id
     * @param nickname its nickname
     * @param reason why; {@link DepartureReason#description()} says it in a few words
     */
    default void onClientLeft(int clientId, String nickname, DepartureReason reason) {}

    /**
     * A connection chose its cipher suite, from its first frame. Called only by a relay that speaks the INSECURE
     * legacy suite ({@link RelayOptions#insecureLegacyCrypto()} is not {@link InsecureLegacyMode#OFF}), for every
     * connection, so the operator sees which ones are exposed.
     *
     * @param remoteAddress the client's address, for the log line
     * @param suite the suite the connection speaks
     */
    default void onSuiteSelected(SocketAddress remoteAddress, CipherSuite suite) {}

    /**
     * The relay accepted an end-to-end envelope for forwarding: opaque ciphertext it cannot read. Only the
     * size is reported; there is nothing else the relay could report.
     *
     * @param senderId the sending client's id
     * @param toRoom {@code true} for a room envelope (fanned out to every other client), {@code false} for
     *     a pairwise one
     * @param ciphertextBytes the size of the ciphertext
     */
    default void onEnvelopeForwarded(int senderId, boolean toRoom, int ciphertextBytes) {}
}
