package io.securecomm.internal.client;

import io.securecomm.client.DeliveryStatus;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.UndecryptableMessageException;
import io.securecomm.e2e.E2eException;
import io.securecomm.e2e.GroupCipher;
import io.securecomm.e2e.PendingRoomMessages;
import io.securecomm.e2e.RoomEvent;
import io.securecomm.e2e.SenderKeyDistribution;
import io.securecomm.e2e.TrustStore;
import io.securecomm.wire.Nickname;
import io.securecomm.wire.SendRoomEnvelope;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The client's end of the room (docs/E2E.md, "Sender keys"): its {@link GroupCipher}, and who holds its sender key.
 * It encrypts each public message once and sends it at once, never waiting for key distribution; it hands its key
 * to each member through the pairwise sessions in the gaps the chat leaves ({@link Outbound.Lane#KEYS}), retries a
 * hand-over that failed with a back-off, reports once a member that cannot get the key, and reports every room
 * message it held that never became readable. A rotated key goes to the members that held one of its keys (the last
 * one confirmed or not) in the chat lane, ahead of newcomers' first keys: the message that caused the rotation is
 * unreadable to them until it arrives.
 *
 * <p>Who gets a public message: every member that holds this client's current key or is being sent it (one whose key
 * is still on its way holds the message until the key arrives: docs/E2E.md, "held"). A member this client cannot hand
 * its key to (no pre-keys, an identity change awaiting the user, the room policy) is left out and reported once
 * ({@code onRoomKeyNotDelivered}, or {@code onIdentityChanged}, or {@code onRoomKeyWithheld} for the policy), never
 * waited for; it is tried again with a back-off, as soon as it writes to this client (a pairwise session then
 * exists), when the user accepts its new identity or verifies it.
 *
 * <p>Who holds the key, and its hand-over to each member, one state per member: {@link RoomKeyHandOver}.
 *
 * <p>Confined to the session's thread, like the rest of the chat layer.
 */
final class ClientRoom {
    private final ChatLayer.Context context;
    private final Roster roster;
    private final Requests requests;
    private final GroupCipher room;
    private final RoomKeyHandOver keys;
    private final UnreadableRoomMessages unreadable;

    ClientRoom(ChatLayer.Context context, TrustStore trust, RoomKeyHandOver.Pairwise pairwise, SecureRandom random) {
        this.context = context;
        this.roster = context.roster();
        this.requests = context.requests();
        this.room = new GroupCipher(PendingRoomMessages.defaults(context.options().clock()), random);
        this.keys = new RoomKeyHandOver(context, trust, pairwise, this::currentKey);
        this.unreadable = new UnreadableRoomMessages(context.options().clock());
    }

    // ---------------------------------------------------------------- members

    /** Connected: every member already in the room gets this client's key, if the policy allows. */
    void connected() {
        for (OnlineClient c : roster.others()) {
            memberJoined(c);
        }
    }

    /** A member joined: it gets the current key (and so cannot read earlier messages), if the policy allows. */
    void memberJoined(OnlineClient c) {
        keys.memberJoined(c);
    }

    /**
     * A member left: its keys and what it was sent are forgotten, its held messages reported; rotate before sending,
     * unless none of this client's keys can have reached it: no pairwise session with it, and it never held one (a
     * member without pre-keys). Members without pre-keys rejoining under new names made every member rotate at each
     * departure and send its new key to every reader, at its pace, ahead of the chat: stalls of up to 2 s.
     *
     * @param hadSession whether a pairwise session with the member existed (a room key may have been encrypted to it)
     */
    void memberLeft(OnlineClient who, boolean hadSession) {
        boolean mayHoldKey = hadSession || keys.wasReader(who);
        keys.memberLeft(who);
        report(room.memberLeft(key(who), mayHoldKey));
        unreadable.left(key(who)).ifPresent(this::tell);
    }

    /** A pairwise message from a member authenticated: see {@link RoomKeyHandOver#heardFrom}. */
    void heardFrom(OnlineClient from) {
        keys.heardFrom(from);
    }

    /** The user accepted a member's new identity: it gets the key again, under its new session. */
    void identityAccepted(String peer) {
        keys.identityAccepted(peer);
    }

    /** The user verified a member: under the verified-only policy, one present in the room may read from now on. */
    void verified(String peer) {
        keys.verified(peer);
    }

    // ---------------------------------------------------------------- time

    /** When a held message expires, a member's key hand-over is due again, or counted unreadable ones are reported. */
    Optional<Instant> pollTimeout() {
        Instant next = room.nextExpiry().orElse(null);
        for (Optional<Instant> other : List.of(keys.nextRetry(), unreadable.nextReport())) {
            if (other.isPresent() && (next == null || other.get().isBefore(next))) {
                next = other.get();
            }
        }
        return Optional.ofNullable(next);
    }

    /**
     * Reports held messages whose key did not come in time, tries again the hand-overs that are due, and reports the
     * unreadable messages counted since each sender's last report, once its interval has passed.
     */
    void handleTimeout(Instant now) {
        if (room.nextExpiry().filter(e -> !now.isBefore(e)).isPresent()) {
            report(room.expirePending());
        }
        keys.handleTimeout(now);
        unreadable.due(now).forEach(this::tell);
    }

    // ---------------------------------------------------------------- sending

    /**
     * Sends one public message: one encryption under this client's sender key, one ciphertext for the relay to fan
     * out, at once. If a member left since the last send, the key is rotated first, and the new one goes to every
     * remaining member right after the message (in the chat lane to those that held one of its keys, in the key lane
     * to newcomers still being sent their first): each holds the message until its key arrives. The departed member
     * is never sent the new key, nor this message.
     */
    CompletableFuture<DeliveryStatus> sendPublic(byte[] plaintext) {
        byte[] rotated = null;
        if (room.needsRotation()) {
            try (SenderKeyDistribution d = room.rotate()) {
                // from the new chain's first iteration
                rotated = PairwisePlaintext.of(PairwisePlaintext.KIND_SENDER_KEY, d.encode());
            }
        }
        int[] ids = keys.recipientIds();
        byte[] ciphertext = room.encrypt(plaintext);
        CompletableFuture<DeliveryStatus> delivery = requests.delivery(
                id -> new SendRoomEnvelope(id, ids, ciphertext), "public message", null);
        if (rotated != null) {
            // After the message, so it leaves first: each reader holds it until its new key, next in line, arrives.
            // The readers' keys go with the chat, ahead of newcomers' first keys (a join storm's backlog).
            keys.rotated(rotated);
            Arrays.fill(rotated, (byte) 0);
        }
        return delivery;
    }

    /**
     * Where a member's hand-over stands, for tests.
     *
     * @param peer the canonical nickname
     * @return the state, or empty if the member is not in the room
     */
    Optional<RoomKeyHandOver.KeyState> keyState(String peer) {
        return keys.keyState(peer);
    }

    // ---------------------------------------------------------------- receiving

    /**
     * A room envelope arrived: decrypt it, hold it for its key, or count it as unreadable (reported once per sender,
     * not per message). Bytes that can never be a room message are dropped before any decoding: a sender flooding
     * junk costs a few comparisons a message.
     */
    void receive(OnlineClient from, byte[] ciphertext) {
        if (!UnreadableRoomMessages.couldBeRoomMessage(ciphertext)) {
            undecryptable(key(from), "not a room message (its header or its length is wrong)", null);
            return;
        }
        try {
            report(room.decrypt(from.nickname(), ciphertext));
        } catch (E2eException e) {
            undecryptable(key(from), e.getMessage(), e);
        }
    }

    /** A sender-key distribution arrived through the pairwise session with {@code from}. */
    void senderKey(OnlineClient from, byte[] plaintext) {
        List<RoomEvent> events;
        try (SenderKeyDistribution d = SenderKeyDistribution.decode(Arrays.copyOfRange(plaintext, 1,
                plaintext.length))) {
            events = room.processDistribution(from.nickname(), d);
        } catch (E2eException e) {
            context.tell(new ClientEvent.Undecryptable(new UndecryptableMessageException(from.nickname(), true,
                    "a room key that does not parse: " + e.getMessage(), e)));
            return;
        }
        context.tell(new ClientEvent.RoomKeyChanged(from));
        report(events);
    }

    private void report(List<RoomEvent> events) {
        for (RoomEvent e : events) {
            if (e instanceof RoomEvent.Decrypted d) {
                byte[] p = d.plaintext();
                Optional<String> text = p.length > 0 && (p[0] & 0xFF) == PairwisePlaintext.KIND_TEXT
                        ? PairwisePlaintext.text(p)
                        : Optional.empty();
                if (text.isEmpty()) {
                    undecryptable(d.sender(), "the decrypted room message is not chat text", null);
                    continue;
                }
                context.tell(new ClientEvent.MessageReceived(context.message(roster.byName(d.sender()), d.sender(),
                        text.get(), false)));
            } else if (e instanceof RoomEvent.Undecryptable u) {
                undecryptable(u.sender(), u.reason() + ": " + u.detail(), null);
            }
        }
    }

    private void undecryptable(String sender, String reason, Throwable cause) {
        unreadable.unreadable(Nickname.canonical(sender), reason, cause).ifPresent(this::tell);
    }

    private void tell(UnreadableRoomMessages.Report r) {
        context.tell(new ClientEvent.Undecryptable(new UndecryptableMessageException(r.sender(), false, r.reason(),
                r.cause()), r.messages()));
    }

    /** This client's current key, as the pairwise plaintext of a distribution. */
    private byte[] currentKey() {
        try (SenderKeyDistribution d = room.distribution()) {
            return PairwisePlaintext.of(PairwisePlaintext.KIND_SENDER_KEY, d.encode());
        }
    }

    // ---------------------------------------------------------------- the end

    /**
     * The session is ending: every room message still held for a key is reported (it never vanishes), then the keys
     * are wiped (best effort).
     */
    void close() {
        report(room.giveUpHeld());
        unreadable.closed().forEach(this::tell);
        keys.close();
        room.close();
    }

    private static String key(OnlineClient c) {
        return Nickname.canonical(c.nickname());
    }

    @Override
    public String toString() {
        return "ClientRoom[" + keys + ", " + room + "]";
    }
}
