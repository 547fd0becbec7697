package io.securecomm.client;

import io.securecomm.e2e.IdentityKey;
import io.securecomm.e2e.SafetyNumber;
import java.util.List;
import java.util.ServiceLoader;

/**
 * A chat client of a securecomm relay.
 *
 * <pre>{@code
 * ChatClientOptions options = ChatClientOptions.builder(relay.localAddress()).nickname("echo")
 *         .trustStore(RelayTrustStore.knownKey(relay.identityPublicKey())).build();
 * ChatClient bot = ChatClient.create(options, new ChatListener() {
 *     public void onMessage(ChatMessage m) {
 *         m.reply(m.text());                      // on the client's event thread: chain, never wait
 *     }
 * });
 * bot.connect().await();                          // throws the client's own checked exception
 * bot.sendPublic("echo is here").await();
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
 * <p>Errors come from two places, each of one kind:
 * <ul>
 *   <li><b>The caller's mistakes are thrown at once</b>, unchecked, by the method called: an empty or too long
 *       text, a client id below 1 ({@link IllegalArgumentException}), {@code connect()} twice, or waiting for a
 *       future on the client's event thread ({@link IllegalStateException}). The options' builder already refused
 *       a nickname the relay's rule refuses, and options without a nickname or a trust store.</li>
 *   <li><b>What the relay, the network or a peer causes fails the returned future</b>, with a checked
 *       {@link ChatClientException}: one specific subclass per case, documented on each method, several with a
 *       {@code reason()} a program can switch on ({@link NicknameRejectedException.Reason},
 *       {@link MessageRejectedException.Reason}, {@link RelayClosedException.Reason}). What is not tied to a call
 *       goes to the listener: a relay error about nothing the application asked to {@link ChatListener#onError}, a
 *       room key that could not reach a member to {@link ChatListener#onRoomKeyNotDelivered} (by default
 *       {@code onError} too), and the end of the session to {@link ChatListener#onDisconnected}.</li>
 * </ul>
 *
 * <p>Futures: every operation returns a {@link ChatFuture}, a {@code CompletableFuture} whose
 * {@link ChatFuture#await()} waits and throws the specific checked exception. A send completes with
 * {@link DeliveryStatus#DELIVERED} when the relay confirms it wrote the message to every recipient's connection, or
 * fails with {@link UnknownRecipientException}, {@link NotConnectedException}, {@link RelayClosedException},
 * {@link MessageRejectedException}, or {@link RelayTimeoutException} if the relay does not answer within the
 * options' request timeout, so no future waits forever.
 *
 * <p>Pace: the client sends its requests no faster than the lower of its options' pacing and the rate the relay
 * announces in its welcome, holding the rest in order (chat first, end-to-end key set-up after), so a default
 * client is never held back or refused by a relay's rate limit. A request the relay still drops as
 * {@code RATE_LIMITED} (too many session starts to one recipient, say) is sent again after a back-off before its
 * future fails.
 *
 * <p>Threads: listener callbacks and future completions run on one thread per client, the client's
 * event thread (named {@code securecomm-client-events-N}), one at a time, in the order the relay sent what caused
 * them (a send's completion comes after the events that arrived before its confirmation); the client's end-to-end
 * work runs there too, never on the thread that reads the socket. Dependent stages added with the non-async methods
 * of a future run on that thread as well. A callback may call this client (send, reply, close), but must not wait
 * for one of its futures: that thread completes them, so {@link ChatFuture} refuses with
 * {@link IllegalStateException} instead of waiting forever. All methods are thread-safe.
 *
 * <p>Lifecycle: a client's threads (its event thread and its I/O thread, {@code securecomm-client-io-<nickname>})
 * start at {@link #connect()} and stop once the session has ended and its last callback has run. They are daemon
 * threads: they never keep the JVM alive, so a program's {@code main} must itself wait for what it wants to happen
 * (a future, a latch, {@code RelayServer.awaitClose()}).
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
     *     {@link NicknameRejectedException}, {@link RelayFullException} or {@link RelayClosedException}
     * @throws IllegalStateException if connect was already called, or the client was closed, or the system property
     *     {@code securecomm.noise.cipher} names no Noise cipher (docs/NOISE.md)
     */
    ChatFuture<Session> connect();

    /**
     * Sends a public message to every other online client, encrypted end to end once under this client's
     * room sender key (rotated first if a member left since the last one); the relay fans the one
     * ciphertext out. It never waits for the room key to reach members: it goes at once to every member that holds
     * this client's room key or is being sent it (a member whose key is still on its way holds the message until
     * the key arrives). Members whose pairwise session cannot be set up (no pre-keys, an unaccepted identity
     * change) are reported once ({@link ChatListener#onError}) and left out until they can get the key.
     *
     * @param text the message, 1 to {@code io.securecomm.wire.Limits.TEXT_MAX_BYTES} bytes in UTF-8
     * @return a future of {@link DeliveryStatus#DELIVERED} once the relay confirms delivery to those members; it
     *     fails with {@link NotConnectedException}, {@link RelayClosedException}, {@link MessageRejectedException}
     *     or {@link RelayTimeoutException}
     * @throws IllegalArgumentException if the text is empty or too long
     */
    ChatFuture<DeliveryStatus> sendPublic(String text);

    /**
     * Sends a private message to one client, by id.
     *
     * @param clientId the recipient's relay-assigned id
     * @param text the message, as for {@link #sendPublic(String)}
     * @return a future of {@link DeliveryStatus#DELIVERED} once the relay confirms delivery; fails with
     *     {@link UnknownRecipientException} if no such client is online, {@link PeerIdentityChangedException}
     *     if the peer's identity key changed and the user has not accepted it, {@link PeerKeysRejectedException}
     *     if the relay handed out keys that do not verify, {@link MessageRejectedException} (for example
     *     {@link MessageRejectedException.Reason#NO_PRE_KEYS}), {@link NotConnectedException},
     *     {@link RelayClosedException} or {@link RelayTimeoutException}
     * @throws IllegalArgumentException if the id is below 1, or the text is empty or too long
     */
    ChatFuture<DeliveryStatus> sendPrivate(int clientId, String text);

    /**
     * Sends a private message to one client, by nickname in any letter case (nicknames are compared by their
     * canonical form, {@code io.securecomm.wire.Nickname}), or by id when the argument is a decimal number
     * (nicknames are never digits only).
     *
     * @param recipient the recipient's nickname or id
     * @param text the message, as for {@link #sendPublic(String)}
     * @return a future of {@link DeliveryStatus#DELIVERED} once the relay confirms delivery; fails as
     *     {@link #sendPrivate(int, String)}
     * @throws IllegalArgumentException if the text is empty or too long, or the recipient is id 0
     */
    ChatFuture<DeliveryStatus> sendPrivate(String recipient, String text);

    /**
     * Asks the relay for the members of the public room, this client included: the room this client's end-to-end
     * layer shares its room key with. A client that connected while the room was full is online but outside the
     * room, and gets an empty list. Everyone online, in or out of the room, is listed by {@link #listPage}.
     *
     * @return a future of the members in ascending id order; fails with {@link NotConnectedException},
     *     {@link RelayClosedException} or {@link RelayTimeoutException}
     */
    ChatFuture<List<OnlineClient>> list();

    /**
     * Asks the relay for one page of everyone online, in ascending order of canonical nickname: how to list a relay
     * of any size (one page carries at most 256 clients). Walk the list by passing each page's
     * {@link ClientPage#nextCursor()} as the next {@code after}; a client online for the whole walk is listed exactly
     * once. To find a nickname, start {@code after} just before it (an empty string starts at the beginning).
     *
     * @param after list only clients whose canonical nickname sorts after this; empty for the first page; at most 64
     *     UTF-8 bytes
     * @param maxEntries the most clients on the page, 1 to 256
     * @return a future of the page; fails with {@link NotConnectedException}, {@link RelayClosedException} or
     *     {@link RelayTimeoutException}
     * @throws IllegalArgumentException if {@code after} is too long or {@code maxEntries} is out of range
     */
    ChatFuture<ClientPage> listPage(String after, int maxEntries);

    /**
     * Returns this client's public end-to-end identity (from the options' protocol store).
     *
     * @return the identity key; its X25519 half is the client's Noise static key
     */
    IdentityKey identityKey();

    /**
     * Describes a peer's identity for verification: the trusted key's fingerprint and the safety number.
     * If this client has never exchanged keys with the peer, it fetches the peer's pre-key bundle first
     * (and trusts it on first use): from the peer's connection while it is online, or, for an account's holder who
     * is offline, the bundle the relay keeps for the account (bound to the key the account is registered to).
     *
     * @param peer the peer's nickname
     * @return a future of the identity; fails with {@link UnknownRecipientException} if this client has no key for
     *     the peer and the relay knows no client or account of that name, {@link PeerIdentityChangedException}
     *     never (a pending change is reported in the result)
     * @throws IllegalStateException if this client uses the INSECURE legacy suite (no end-to-end identities)
     */
    ChatFuture<PeerIdentity> peerIdentity(String peer);

    /**
     * Records that the user compared the safety number with the peer's and they matched. Under
     * {@link RoomPolicy#VERIFIED}, a peer present in the room then gets this client's room key.
     *
     * @param peer the peer's nickname
     * @return a future completed once recorded; fails with {@link UnknownRecipientException} if no key is
     *     known for the peer, or {@link PeerIdentityChangedException} if a change awaits a decision
     * @throws IllegalStateException if this client uses the INSECURE legacy suite (no end-to-end identities)
     */
    ChatFuture<Void> markVerified(String peer);

    /**
     * Releases this client's account at the relay (docs/RELAY.md, "Accounts and offline delivery"): the relay deletes
     * the binding of its nickname to this client's identity key, with the pre-keys and the stored messages it kept for
     * it, so that another identity may take the nickname once this connection ends.
     *
     * @return a future completed once the relay released it; fails with {@link MessageRejectedException} (reason
     *     {@code NOT_STORED}) if the relay's store failed
     */
    ChatFuture<Void> releaseAccount();

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
    ChatFuture<Boolean> trustNewIdentity(String peer, SafetyNumber compared);

    /**
     * Rejects a peer's pending identity change (the safety numbers did not match, or the user does not expect a
     * new key): the remembered key stays trusted, as verified as it was, sending to the peer resumes, and the
     * messages refused under the rejected key are dropped.
     *
     * @param peer the peer's nickname
     * @return a future of {@code true} once the change is rejected, or {@code false} if none was pending
     * @throws IllegalStateException if this client uses the INSECURE legacy suite (no end-to-end identities)
     */
    ChatFuture<Boolean> rejectNewIdentity(String peer);

    /**
     * Tells whether the client is connected and admitted.
     *
     * @return {@code true} between a successful {@link #connect()} and the end of the session
     */
    boolean isConnected();

    /**
     * Says goodbye to the relay and closes the connection, waiting briefly (up to 2 s) for the goodbye to be
     * written, then lets the client's threads stop. Operations still in flight fail with
     * {@link NotConnectedException}. The listener gets {@link ChatListener#onDisconnected} only if the client was
     * connected: after a {@link #connect()} that failed (its future says why) or that was never called, there is no
     * session to end and no callback. A connect still in progress fails with {@link NotConnectedException}. May be
     * called from a callback. Idempotent.
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
