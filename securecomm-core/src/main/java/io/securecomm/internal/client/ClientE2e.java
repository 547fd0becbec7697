package io.securecomm.internal.client;

import io.securecomm.client.DeliveryStatus;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.PeerIdentity;
import io.securecomm.client.SafetyNumberMismatchException;
import io.securecomm.client.UnknownRecipientException;
import io.securecomm.e2e.IdentityChange;
import io.securecomm.e2e.IdentityKey;
import io.securecomm.e2e.ProtocolStore;
import io.securecomm.e2e.SafetyNumber;
import io.securecomm.e2e.TrustStore;
import io.securecomm.e2e.TrustedIdentity;
import io.securecomm.wire.AccountBundleRequest;
import io.securecomm.wire.Envelope;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageType;
import io.securecomm.wire.Nickname;
import io.securecomm.wire.PreKeyCount;
import io.securecomm.wire.PrivateMessage;
import io.securecomm.wire.PublicMessage;
import io.securecomm.wire.RoomEnvelope;
import io.securecomm.wire.SendToAccount;
import io.securecomm.wire.StoredEnvelope;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The client's end-to-end layer, which {@link ClientSession} calls directly and which never calls the session back:
 * it turns chat text into opaque envelopes for the relay and envelopes back into chat messages or reported failures.
 * Its parts, each with one job:
 *
 * <ul>
 *   <li>{@link PairwiseSend}: one plaintext to one peer, online or not, through a {@code SessionCipher};
 *   <li>{@link PairwiseReceive}: a ciphertext from one peer, decrypted, shown or reported;
 *   <li>{@link ClientRoom}: the public room's sender keys (docs/E2E.md, "Sender keys");
 *   <li>{@link PeerSessions}: one {@code SessionCipher} per peer, which keeps the decoded session between calls;
 *   <li>{@link PeerIdentities}: trust on first use, safety numbers, warnings of changed identities;
 *   <li>{@link PreKeyMaintenance}: this client's pre-keys at the relay;
 *   <li>{@link StoredAcks}: the acknowledgements of stored messages;
 *   <li>{@link PeerChains}: one peer's steps one after the other.
 * </ul>
 *
 * <p>Names: every map, session, trust entry and room key is keyed by the peer's canonical nickname
 * ({@link Nickname#canonical}), so a peer the relay shows as {@code Bob} is the trusted {@code bob}, with the
 * trusted key or an identity change; the relay's spelling is kept for display.
 *
 * <p>Members: the room is the session's {@link Roster} (the one roster of the client), which the session updates
 * before it tells this layer of a join or a departure; so a room send sees a departure exactly when the sender key
 * knows it must rotate.
 *
 * <p>Requests: what the layer sends (pre-keys, bundle requests, envelopes) goes out through the session's
 * {@link Requests}, in the chat lane, except the room's key set-up, which goes in the key lane
 * ({@link Outbound.Lane#KEYS}); what it reports goes through the session's events.
 *
 * <p>Stored messages (docs/E2E.md, "Offline delivery"): private chat goes to the relay as {@link SendToAccount}, so
 * that a peer who is offline, or leaves while it is on its way, gets it later; a session with an offline peer starts
 * from the bundle the relay keeps for its account ({@link AccountBundleRequest}). A {@link StoredEnvelope} is
 * decrypted (which saves the session's new state in the protocol store) and then acknowledged; one the relay sends
 * again is dropped by its id, or, after a restart of this client, because its message key is already used.
 *
 * <p>Confinement: every method runs on the client's one thread, never on the Netty event loop, so the X25519 and
 * Ed25519 work never delays the socket.
 */
public final class ClientE2e implements ChatLayer {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Roster roster;
    private final TrustStore trust;
    private final PeerIdentities identities;
    private final PeerSessions sessions;
    private final PeerChains chains = new PeerChains();
    private final PairwiseSend send;
    private final PairwiseReceive inbound;
    private final ClientRoom room;
    private final PreKeyMaintenance preKeys;
    private final StoredAcks stored;

    /**
     * Creates the layer of one client.
     *
     * @param context what the client's session lends it: the options (protocol store, clock, room policy), the
     *     roster, the requests and the events
     */
    public ClientE2e(ChatLayer.Context context) {
        ProtocolStore store = context.options().protocolStore();
        Clock clock = context.options().clock();
        SecureRandom random = new SecureRandom();
        this.roster = context.roster();
        this.identities = new PeerIdentities(store, context::tell);
        this.trust = identities.trust();
        this.sessions = new PeerSessions(store, identities, random);
        this.send = new PairwiseSend(context.requests(), sessions, identities, chains, roster);
        this.room = new ClientRoom(context, trust, new RoomKeyHandOver.Pairwise() {
            @Override
            public CompletableFuture<DeliveryStatus> sendKey(OnlineClient to, byte[] plaintext, Outbound.Lane lane) {
                return send.send(send.toMember(to, lane, false), plaintext);
            }

            @Override
            public Optional<PeerIdentity> describe(String peer) {
                return trust.trustedIdentity(peer).map(t -> ClientE2e.this.describe(peer, t));
            }
        }, random);
        this.inbound = new PairwiseReceive(context, sessions, identities, room);
        this.preKeys = new PreKeyMaintenance(store, context.requests(), clock, random, context::tell);
        this.stored = new StoredAcks(clock, context::sendNow);
    }

    // ---------------------------------------------------------------- the session's life

    /** Takes this client's name as the relay welcomed it, and publishes its pre-keys. */
    @Override
    public CompletableFuture<Void> welcomed(String nickname) {
        identities.welcomed(Nickname.canonical(nickname));
        return preKeys.publish();
    }

    /** Connected: sends this client's sender key to every member already in the room that the policy allows. */
    @Override
    public void connected() {
        preKeys.connected();
        room.connected();
    }

    @Override
    public boolean takesStoredMessages() {
        return true;
    }

    @Override
    public Optional<Instant> pollTimeout() {
        Instant next = null;
        for (Optional<Instant> t : List.of(room.pollTimeout(), stored.pollTimeout(), preKeys.pollTimeout())) {
            if (t.isPresent() && (next == null || t.get().isBefore(next))) {
                next = t.get();
            }
        }
        return Optional.ofNullable(next);
    }

    /**
     * Sends the acknowledgements that are due, gives up on held room messages whose key did not arrive in time,
     * tries again the room keys that are due, and rotates the signed pre-key when it is due.
     */
    @Override
    public void handleTimeout(Instant now) {
        stored.handleTimeout(now);
        room.handleTimeout(now);
        preKeys.handleTimeout(now);
    }

    /** Reports the room messages still held, then wipes the room keys and the sessions kept in memory. */
    @Override
    public void close() {
        room.close();
        sessions.close();
    }

    // ---------------------------------------------------------------- what arrives

    /** What arrives for the end-to-end layer: envelopes, and the count of this client's pre-keys left. */
    @Override
    public void receive(Message message) {
        switch (message.type()) {
            case ENVELOPE -> {
                Envelope envelope = (Envelope) message;
                Optional<OnlineClient> from = roster.other(envelope.senderId());
                if (from.isEmpty()) {
                    inbound.undecryptable("client " + envelope.senderId(), true, "the relay names a sender that is"
                            + " not in this client's roster", null);
                } else {
                    inbound.receive(from.get(), envelope.ciphertext(), null);
                }
            }
            case ROOM_ENVELOPE -> {
                RoomEnvelope envelope = (RoomEnvelope) message;
                Optional<OnlineClient> from = roster.other(envelope.senderId());
                if (from.isEmpty()) {
                    inbound.undecryptable("client " + envelope.senderId(), false, "the relay names a sender that is"
                            + " not another member in this client's roster", null);
                } else {
                    room.receive(from.get(), envelope.ciphertext());
                }
            }
            case PUBLIC_MESSAGE, PRIVATE_MESSAGE -> {
                // Plaintext chat from the relay is never shown: the relay could have written it itself.
                String sender = message instanceof PublicMessage m ? m.senderNickname()
                        : ((PrivateMessage) message).senderNickname();
                inbound.undecryptable(sender, message.type() == MessageType.PRIVATE_MESSAGE, "it arrived"
                        + " unencrypted, so the relay could have forged it; this client shows only end-to-end"
                        + " encrypted messages", null);
            }
            case STORED_ENVELOPE -> receiveStored((StoredEnvelope) message);
            case PRE_KEY_COUNT -> preKeys.count((PreKeyCount) message);
            default -> throw new IllegalArgumentException("not for the end-to-end layer: " + message.type());
        }
    }

    /**
     * A message the relay stored for this client: decrypted (its session's new state saved), shown with the time it
     * was sent, then acknowledged. One already processed is only acknowledged again.
     */
    private void receiveStored(StoredEnvelope message) {
        if (stored.firstTime(message.messageId())) {
            OnlineClient from = roster.byName(message.senderNickname())
                    .filter(c -> MessageDigest.isEqual(c.identityKey(), message.senderIdentityKey()))
                    .orElseGet(() -> new OnlineClient(0, message.senderNickname(), message.senderIdentityKey()));
            inbound.receive(from, message.ciphertext(), Instant.ofEpochMilli(message.sentAtMillis()));
        }
        stored.processed(message.messageId());
    }

    /** A member joined: it gets this client's current sender key if the room policy allows. */
    @Override
    public void memberJoined(OnlineClient c) {
        room.memberJoined(c);
    }

    /**
     * A member left or was disconnected: forget its chains; this client rotates before its next send, unless none of
     * its room keys can have reached the member (see {@link ClientRoom#memberLeft}).
     */
    @Override
    public void memberLeft(OnlineClient who) {
        String peer = Nickname.canonical(who.nickname());
        // A room key is encrypted only on a pairwise session, set up just before: without one, none reached it.
        boolean hadSession = sessions.cipher(peer).sessionSetup().isPresent();
        sessions.forget(peer);
        inbound.takeHeld(peer);
        room.memberLeft(who, hadSession);
    }

    // ---------------------------------------------------------------- what the application sends

    /** Sends one public message at once: see {@link ClientRoom#sendPublic}. */
    @Override
    public CompletableFuture<DeliveryStatus> sendPublic(String text) {
        return room.sendPublic(PairwisePlaintext.text(text));
    }

    /** Sends chat text to a member online through the pairwise session (stored by the relay if it leaves). */
    @Override
    public CompletableFuture<DeliveryStatus> sendPrivate(OnlineClient to, String text) {
        return send.send(send.toMember(to, Outbound.Lane.CHAT, true), PairwisePlaintext.text(text));
    }

    /**
     * Sends chat text to an account's holder who is not online, through the session kept with it or one started from
     * the bundle the relay keeps for it.
     */
    @Override
    public CompletableFuture<DeliveryStatus> sendToAccount(String nickname, String text) {
        return send.send(send.toAccount(nickname), PairwisePlaintext.text(text));
    }

    // ---------------------------------------------------------------- identities

    @Override
    public CompletableFuture<PeerIdentity> peerIdentity(String peer) {
        return chains.serially(peer, () -> {
            Optional<TrustedIdentity> known = trust.trustedIdentity(peer);
            if (known.isPresent()) {
                return CompletableFuture.completedFuture(describe(peer, known.get()));
            }
            // A peer this client does not see in the room (offline, outside the room, or not announced yet) is asked
            // for as an account: the relay hands out its holder's bundle, from its connection or from the store, or
            // answers that no account has that name.
            Optional<OnlineClient> online = roster.byName(peer);
            PairwiseSend.Route route = online.isPresent()
                    ? send.toMember(online.get(), Outbound.Lane.CHAT, true)
                    : send.toAccount(peer);
            return send.startSession(route).thenApply(v -> describe(peer, trust.trustedIdentity(peer).orElseThrow()));
        });
    }

    @Override
    public CompletableFuture<Void> markVerified(String peer) {
        return chains.serially(peer, () -> {
            Optional<TrustedIdentity> known = trust.trustedIdentity(peer);
            if (known.isEmpty()) {
                return CompletableFuture.failedFuture(new UnknownRecipientException(peer));
            }
            Optional<IdentityChange> pending = trust.pendingChange(peer);
            if (pending.isPresent()) {
                return CompletableFuture.failedFuture(identities.changed(pending.get()));
            }
            trust.markVerified(peer, known.get().key());
            // Under the verified-only room policy, a member present in the room may read from now on.
            room.verified(peer);
            return DONE;
        });
    }

    /**
     * Accepts the pending key of a peer if its safety number is the one the user compared, hands the messages held
     * for it in again, and sends the room key to it again: under its new identity it holds none of this client's
     * keys (issue 22: it could not read the room until this client's next rotation, which only a departure causes).
     */
    @Override
    public CompletableFuture<Boolean> trustNewIdentity(String peer, SafetyNumber compared) {
        return chains.serially(peer, () -> {
            Optional<IdentityChange> pending = trust.pendingChange(peer);
            if (pending.isEmpty()) {
                return CompletableFuture.completedFuture(false);
            }
            IdentityKey key = pending.get().current();
            if (!identities.safetyNumber(key, peer).equals(compared)) {
                return CompletableFuture.failedFuture(new SafetyNumberMismatchException(peer, key.fingerprint()));
            }
            trust.acceptPendingChange(peer, key);
            identities.forgetWarnings(peer);
            sessions.forget(peer);
            List<byte[]> held = inbound.takeHeld(peer);
            roster.byName(peer).ifPresent(online -> held.forEach(m -> inbound.receive(online, m, null)));
            room.identityAccepted(peer);
            return CompletableFuture.completedFuture(true);
        });
    }

    /** Rejects a peer's pending change: the trusted key stays, and what was held under other keys is dropped. */
    @Override
    public CompletableFuture<Boolean> rejectNewIdentity(String peer) {
        return chains.serially(peer, () -> {
            inbound.takeHeld(peer);
            identities.forgetWarnings(peer);
            return CompletableFuture.completedFuture(trust.rejectChange(peer));
        });
    }

    private PeerIdentity describe(String peer, TrustedIdentity t) {
        return identities.describe(peer, t, sessions.cipher(peer).sessionSetup());
    }

    /** How many safety numbers this client computed, for tests. */
    int safetyNumbersComputed() {
        return identities.safetyNumbersComputed();
    }

    /** Where a member's room key hand-over stands, for tests. */
    Optional<RoomKeyHandOver.KeyState> roomKeyState(String peer) {
        return room.keyState(peer);
    }
}
