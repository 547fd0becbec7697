package io.securecomm.client;

import io.securecomm.wire.LeaveReason;

/**
 * Receives a {@link ChatClient}'s incoming events. Every method has an empty default, so an application
 * overrides only what it needs.
 *
 * <p>All callbacks of one client run on that client's event thread, one at a time, in the order the
 * relay sent the events; see {@link ChatClient}. A callback that throws is logged nowhere and does not
 * end the session. A callback may call the client (reply with {@link ChatMessage#reply(String)}, send, close), but
 * must not wait for one of its futures: {@link ChatFuture} throws {@link IllegalStateException} rather than wait
 * forever for the thread that is waiting. Chain on the future instead, or hand the wait to another thread.
 */
public interface ChatListener {
    /**
     * A public or private message arrived.
     *
     * @param message the message
     */
    default void onMessage(ChatMessage message) {}

    /**
     * Another client joined the relay.
     *
     * @param client the newcomer
     */
    default void onJoin(OnlineClient client) {}

    /**
     * Another client left the relay.
     *
     * @param client the client that left
     * @param reason why, as the relay said; {@link LeaveReason#description()} says it in a few words ("left",
     *     "disconnected", "timed out", "kicked")
     */
    default void onLeave(OnlineClient client, LeaveReason reason) {}

    /**
     * The relay reported an error not tied to one of this client's futures, or sent something the client
     * could not parse. The session continues unless {@link #onDisconnected} follows.
     *
     * @param error what went wrong
     */
    default void onError(ChatClientException error) {}

    /**
     * A known peer presented a changed identity key, in a message that authenticated under it. The client refuses
     * to send to it (and to accept its messages under the new key) until the user accepts the key they compared
     * ({@link ChatClient#trustNewIdentity(String, io.securecomm.e2e.SafetyNumber)}) or rejects the change
     * ({@link ChatClient#rejectNewIdentity(String)}); warn the user loudly. Called again for every further
     * message under a different key: the pending key is the latest.
     *
     * @param change the peer, both fingerprints and the new safety number
     */
    default void onIdentityChanged(PeerIdentityChangedException change) {}

    /**
     * A message arrived that could not be decrypted or authenticated (tampered with, replayed, truncated,
     * re-addressed, or its key never arrived). It is reported, never shown as text, and the session goes on.
     *
     * @param error who it claimed to be from, and why it failed
     */
    default void onUndecryptable(UndecryptableMessageException error) {}

    /**
     * A room member's sender key arrived: it joined, or rotated its key after someone left. Routine: who can read
     * <em>this</em> client's public messages is reported by {@link #onRoomKeyShared} instead, and a changed
     * identity by {@link #onIdentityChanged}.
     *
     * @param member the member whose new room key this client installed
     */
    default void onRoomKeyChanged(OnlineClient member) {}

    /**
     * This client handed its room key to a member: from now on that member can read this client's public
     * messages. Routine when the member is someone the user expects; show the fingerprint so that a member the
     * relay invented is noticed.
     *
     * @param member the member's identity as this client trusts it: fingerprint, safety number, verified or not
     */
    default void onRoomKeyShared(PeerIdentity member) {}

    /**
     * This client did not hand its room key to a member, so that member cannot read this client's public
     * messages: the {@link RoomPolicy#VERIFIED} policy and a member the user has not verified.
     *
     * @param member the member, as the relay announced it
     * @param reason why
     */
    default void onRoomKeyWithheld(OnlineClient member, RoomKeyWithheldReason reason) {}

    /**
     * This client's room key did not reach a member, so that member cannot read this client's public messages until
     * it does. The hand-over failed: the member published no pre-keys, the relay refused or dropped the requests
     * (even after the client's own retries) or did not answer, or this client could not encrypt the key for it. Tell
     * the user; the application has nothing to do. The client leaves the member out of its public messages meanwhile
     * and keeps trying, with a back-off, and at once when the member writes to this client; success is then reported
     * by {@link #onRoomKeyShared} for a member that had never held one of this client's keys, and by nothing for one
     * that had (a rotated key).
     *
     * <p>Called once per member, at its first failure: not again for the failed retries, only after the key reached
     * the member and a later hand-over (of a key rotated after someone left) fails, or after the member left and
     * joined again. Not called for a member the room policy withholds the key from ({@link #onRoomKeyWithheld}), nor
     * for one whose identity changed ({@link #onIdentityChanged}).
     *
     * <p>The default calls {@link #onError(ChatClientException) onError(cause)}, as the client did before this
     * callback existed, so a listener that does not override it still sees the report.
     *
     * @param member the member, as the relay announced it
     * @param cause why, for a program ({@link MessageRejectedException#reason()}: {@code NO_PRE_KEYS},
     *     {@code RATE_LIMITED}, ...) and for people (the message names the member and when the next try is), with the
     *     failure that was reported as its cause
     */
    default void onRoomKeyNotDelivered(OnlineClient member, MessageRejectedException cause) {
        onError(cause);
    }

    /**
     * The session ended; called once, and last, for a client that had connected (a connect that fails says why
     * through its future instead, and is followed by no callback).
     *
     * @param cause {@link RelayClosedException} if the relay said goodbye or the connection was lost,
     *     {@link NotConnectedException} if this client closed it
     */
    default void onDisconnected(ChatClientException cause) {}
}
