package io.securecomm.client;

import io.securecomm.e2e.SafetyNumber;
import java.util.List;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;

/**
 * A chat client of a securecomm relay.
 *
 * <pre>{@code
 * ChatClientOptions options = ChatClientOptions.builder("127.0.0.1", 8080).nickname("alice")
 *         .trustStore(RelayTrustStore.knownKey(relayPublicKey)).build();
 * try (ChatClient alice = ChatClient.create(options, new ChatListener() {
 *         public void onMessage(ChatMessage m) { System.out.println(m.senderNickname() + ": " + m.text()); }
 *     })) {
 *     alice.connect().get(10, TimeUnit.SECONDS);
 *     alice.sendPublic("hello everyone").get(10, TimeUnit.SECONDS);
 *     alice.sendPrivate("bob", "hello bob").get(10, TimeUnit.SECONDS);
 * }
 * }</pre>
 *
 * <p>Security: {@link #connect()} runs the Noise handshake {@code Noise_XX_25519_ChaChaPoly_SHA256}
 * with the relay: the relay proves its identity key, which the options' {@link RelayTrustStore}
 * checks before the client reveals its own identity key; everything after the handshake is encrypted
 * and authenticated. Private messages are also encrypted end to end (PQXDH with X25519 and ML-KEM-1024, then
 * the Double Ratchet; docs/E2E.md): the relay forwards ciphertext it cannot read. Peers are known by canonical nickname
 * ({@code io.securecomm.wire.Nickname}) and trusted on first use; a changed identity key stops sending to that
 * peer ({@link PeerIdentityChangedException}) until
 * {@link #trustNewIdentity(String, SafetyNumber)} (bound to the safety number the user compared) or
 * {@link #rejectNewIdentity(String)}. End-to-end work runs on the client's event thread. Public messages
 * are end-to-end encrypted too, with sender keys (one encryption per message, whatever the room's size); who
 * gets this client's room key is the options' {@link RoomPolicy}, and each new reader is reported
 * ({@link ChatListener#onRoomKeyShared}).
 * The client never shows chat that arrives unencrypted: it reports it to
 * {@link ChatListener#onUndecryptable(UndecryptableMessageException)} instead, since the relay could have
 * written it.
 *
 * <p>The one exception is a client built with {@link ChatClientOptions.Builder#insecureLegacyCrypto(boolean)},
 * for teaching: like the original toy, it speaks the INSECURE legacy suite, has no end-to-end layer, sends its
 * chat in plaintext to the relay and shows the plaintext the relay forwards. Its {@link #peerIdentity},
 * {@link #markVerified}, {@link #trustNewIdentity} and {@link #rejectNewIdentity} throw {@link IllegalStateException}.
 *
 * <p>Futures: every operation returns a future. A send completes when the relay confirms it wrote the
 * message to every recipient's connection, or fails with {@link UnknownRecipientException},
 * {@link NotConnectedException}, {@link RelayClosedException}, {@link MessageRejectedException}, or
 * {@link RelayTimeoutException} if the relay does not answer within the options' request timeout (all
 * {@link ChatClientException}s), so no future waits forever.
 *
 * <p>Threads: listener callbacks and future completions run on one thread per client, the client's
 * event thread (named {@code securecomm-client-events-N}), one at a time, in the order the relay sent what caused
 * them (a send's completion comes after the events that arrived before its confirmation); the client's end-to-end
 * work runs there too, never on the thread that reads the socket. Dependent stages added with the non-async methods
 * of a future run on that thread as well. Never block on one of this client's futures inside a callback: the future
 * would wait for the very thread that is blocked. All methods are thread-safe.
 */
public interface ChatClient extends AutoCloseable {
    /**
     * Creates a client (built on Netty: epoll where available, NIO otherwise). Nothing happens on the
     * network until {@link #connect()}.
     *
     * @param options the configuration
     * @param listener receives incoming events on the client's event thread
     * @return a client that is not connected yet
     */
    static ChatClient create(ChatClientOptions options, ChatListener listener) {
        // The implementation imports this package, so this package names it only at run time: the dependency
        // between the two points one way (see Provider).
        Provider provider = ServiceLoader.load(Provider.class, ChatClient.class.getClassLoader()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no chat client implementation found: securecomm-core's"
                        + " META-INF/services entry for " + Provider.class.getName() + " is missing (was the jar"
                        + " repackaged without its service files?)"));
        return provider.create(options, listener);
    }

    /**
     * Connects to the relay, runs the handshake, checks the relay's identity, and asks for the nickname.
     * The future completes once the relay has admitted the client and the client knows who is online.
     *
     * @return a future of the session; it fails with {@link RelayUnreachableException},
     *     {@link HandshakeFailedException}, {@link RelayIdentityMismatchException},
     *     {@link NicknameRejectedException} or {@link RelayClosedException}
     * @throws IllegalStateException if connect was already called
     */
    CompletableFuture<Session> connect();

    /**
     * Sends a public message to every other online client, encrypted end to end once under this client's
     * room sender key (rotated first if a member left since the last one); the relay fans the one
     * ciphertext out. Members whose pairwise session cannot be set up (for example an unaccepted identity
     * change) do not get the key and cannot read it.
     *
     * @param text the message, 1 to {@code io.securecomm.wire.Limits.TEXT_MAX_BYTES} bytes in UTF-8
     * @return a future completed when the relay confirms delivery
     * @throws IllegalArgumentException if the text is empty or too long
     */
    CompletableFuture<Void> sendPublic(String text);

    /**
     * Sends a private message to one client, by id.
     *
     * @param clientId the recipient's relay-assigned id
     * @param text the message, as for {@link #sendPublic(String)}
     * @return a future completed when the relay confirms delivery; fails with
     *     {@link UnknownRecipientException} if no such client is online, {@link PeerIdentityChangedException}
     *     if the peer's identity key changed and the user has not accepted it, {@link PeerKeysRejectedException}
     *     if the relay handed out keys that do not verify
     * @throws IllegalArgumentException if the id is below 1, or the text is empty or too long
     */
    CompletableFuture<Void> sendPrivate(int clientId, String text);

    /**
     * Sends a private message to one client, by nickname in any letter case (nicknames are compared by their
     * canonical form, {@code io.securecomm.wire.Nickname}), or by id when the argument is a decimal number
     * (nicknames are never digits only).
     *
     * @param recipient the recipient's nickname or id
     * @param text the message, as for {@link #sendPublic(String)}
     * @return a future completed when the relay confirms delivery; fails as {@link #sendPrivate(int, String)}
     * @throws IllegalArgumentException if the text is empty or too long, or the recipient is id 0
     */
    CompletableFuture<Void> sendPrivate(String recipient, String text);

    /**
     * Asks the relay for everyone online, this client included.
     *
     * @return a future of the clients in ascending id order
     */
    CompletableFuture<List<OnlineClient>> list();

    /**
     * Returns this client's public end-to-end identity (from the options' protocol store).
     *
     * @return the identity key; its X25519 half is the client's Noise static key
     */
    io.securecomm.e2e.IdentityKey identityKey();

    /**
     * Describes a peer's identity for verification: the trusted key's fingerprint and the safety number.
     * If this client has never exchanged keys with the peer, it fetches the peer's pre-key bundle first
     * (and trusts it on first use).
     *
     * @param peer the peer's nickname
     * @return a future of the identity; fails with {@link UnknownRecipientException} if the peer is unknown
     *     and offline, {@link PeerIdentityChangedException} never (a pending change is reported in the result)
     * @throws IllegalStateException if this client uses the INSECURE legacy suite (no end-to-end identities)
     */
    CompletableFuture<PeerIdentity> peerIdentity(String peer);

    /**
     * Records that the user compared the safety number with the peer's and they matched. Under
     * {@link RoomPolicy#VERIFIED}, a peer present in the room then gets this client's room key.
     *
     * @param peer the peer's nickname
     * @return a future completed once recorded; fails with {@link UnknownRecipientException} if no key is
     *     known for the peer, or {@link PeerIdentityChangedException} if a change awaits a decision
     * @throws IllegalStateException if this client uses the INSECURE legacy suite (no end-to-end identities)
     */
    CompletableFuture<Void> markVerified(String peer);

    /**
     * Accepts a peer's changed identity key, bound to what the user compared: the key is accepted only if its
     * safety number is {@code compared}. The key pending is the latest that authenticated for the peer, so if
     * someone (the relay, say) presents yet another key while the user compares numbers, this refuses instead of
     * accepting that one. Once accepted, sending to the peer resumes (with a new session), the session states
     * of the old key are discarded, and the peer's messages refused meanwhile are decrypted and delivered.
     *
     * @param peer the peer's nickname
     * @param compared the safety number the user compared with the peer out of band (as
     *     {@link PeerIdentityChangedException#safetyNumber()} or {@link #peerIdentity} showed it)
     * @return a future of {@code true} once the key is accepted, or {@code false} if no change was pending
     *     for the peer; it fails with {@link SafetyNumberMismatchException} if the pending key's safety number
     *     is not {@code compared} (nothing is accepted)
     * @throws IllegalStateException if this client uses the INSECURE legacy suite (no end-to-end identities)
     */
    CompletableFuture<Boolean> trustNewIdentity(String peer, SafetyNumber compared);

    /**
     * Rejects a peer's pending identity change (the safety numbers did not match, or the user does not expect a
     * new key): the remembered key stays trusted, as verified as it was, sending to the peer resumes, and the
     * messages refused under the rejected key are dropped.
     *
     * @param peer the peer's nickname
     * @return a future of {@code true} once the change is rejected, or {@code false} if none was pending
     * @throws IllegalStateException if this client uses the INSECURE legacy suite (no end-to-end identities)
     */
    CompletableFuture<Boolean> rejectNewIdentity(String peer);

    /**
     * Tells whether the client is connected and admitted.
     *
     * @return {@code true} between a successful {@link #connect()} and the end of the session
     */
    boolean isConnected();

    /**
     * Says goodbye to the relay and closes the connection, waiting briefly for the goodbye to be written.
     * Operations still in flight fail with {@link NotConnectedException}; the listener gets
     * {@link ChatListener#onDisconnected}. Idempotent.
     */
    @Override
    void close();

    /**
     * The service through which {@link #create} finds the client's implementation, which securecomm-core provides
     * (a {@code provides} clause of its module, and a {@code META-INF/services} entry for the class path). Not for
     * applications: they call {@link #create}.
     */
    interface Provider {
        /**
         * Creates a client that is not connected yet.
         *
         * @param options the configuration
         * @param listener receives incoming events on the client's event thread
         * @return the client
         */
        ChatClient create(ChatClientOptions options, ChatListener listener);
    }
}
