package io.securecomm.internal.client;

import io.securecomm.client.ChatClientException;
import io.securecomm.client.DeliveryStatus;
import io.securecomm.client.MessageRejectedException;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.PeerIdentity;
import io.securecomm.client.PeerIdentityChangedException;
import io.securecomm.client.RoomKeyWithheldReason;
import io.securecomm.client.RoomPolicy;
import io.securecomm.client.UnknownRecipientException;
import io.securecomm.e2e.TrustStore;
import io.securecomm.e2e.TrustedIdentity;
import io.securecomm.wire.Nickname;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Who holds this client's room key ({@link ClientRoom}'s sender key), and the hand-over of that key to each member
 * through the pairwise sessions, in the gaps the chat leaves ({@link Outbound.Lane#KEYS}): one state per member, a
 * back-off for a hand-over that failed, one report for a member that cannot get the key, the room policy's refusals.
 * It decides who a public message goes to: every member that holds the current key or is being sent it.
 *
 * <pre>
 *   joined -- policy refuses --> WITHHELD --(verified)--> SENDING
 *   joined --> SENDING --delivered--> HOLDS_KEY --(a member left: rotation)--> SENDING
 *                      --no pre-keys--> NO_PRE_KEYS --(back-off, or it writes to us)--> SENDING
 *                      --identity changed--> IDENTITY_CHANGED --(trustNewIdentity)--> SENDING
 *                      --other failure--> RETRYING --(back-off)--> SENDING
 * </pre>
 *
 * <p>Members are named by their canonical nickname. Not thread-safe: confined to the client's thread.
 */
final class RoomKeyHandOver {
    /** The first wait before a failed key hand-over is tried again; doubled for each failure in a row. */
    static final Duration RETRY_FIRST = Duration.ofSeconds(1);
    /** The longest wait between tries of a failed key hand-over. */
    static final Duration RETRY_MAX = Duration.ofSeconds(60);
    /** The first wait before a member without pre-keys is tried again; doubled each time. */
    static final Duration NO_PRE_KEYS_FIRST = Duration.ofSeconds(30);
    /** The longest wait between tries of a member without pre-keys. */
    static final Duration NO_PRE_KEYS_MAX = Duration.ofMinutes(10);

    /** Where a member's hand-over of this client's key stands. */
    enum KeyState {
        /** The key is on its way (waiting for its turn, a bundle, or the relay's confirmation). */
        SENDING,
        /** The member holds this client's current key. */
        HOLDS_KEY,
        /** The hand-over failed (a relay error, a timeout, a limit); it is tried again at {@code retryAt}. */
        RETRYING,
        /** The member has no pre-keys: left out, tried again at {@code retryAt} or when it writes to us. */
        NO_PRE_KEYS,
        /** The member presents a changed identity the user has not accepted: left out until they decide. */
        IDENTITY_CHANGED,
        /** The room policy keeps the key from it. */
        WITHHELD
    }

    /** What the room needs from the pairwise layer. */
    interface Pairwise {
        /**
         * Sends this client's sender key to a member through the pairwise session.
         *
         * @param to the member
         * @param plaintext the pairwise plaintext (kind and distribution)
         * @param lane the key lane for a newcomer; the chat lane for a rotated key, which the next message needs
         * @return the future of the delivery
         */
        CompletableFuture<DeliveryStatus> sendKey(OnlineClient to, byte[] plaintext, Outbound.Lane lane);

        /**
         * Describes a peer's trusted identity for the user.
         *
         * @param peer the canonical nickname
         * @return the identity, or empty if none is trusted
         */
        Optional<PeerIdentity> describe(String peer);
    }

    /** One member's hand-over. */
    private static final class MemberKey {
        OnlineClient member;
        KeyState state;
        /** Counts the hand-overs started: only the outcome of the latest one counts. */
        int attempt;
        int failures;
        Instant retryAt;
        /** Whether the user was told (onRoomKeyNotDelivered) this member cannot get the key, since it last held it. */
        boolean reported;
        /**
         * The key as it was first sent to the member while it counts as a recipient (SENDING, RETRYING): a retry sends
         * these bytes again, since the chain has moved on since then and a later copy could not read the messages the
         * member was sent meanwhile. A secret: wiped once the member holds the key, leaves, or the key is rotated.
         */
        byte[] distribution;

        void forgetDistribution() {
            if (distribution != null) {
                Arrays.fill(distribution, (byte) 0);
                distribution = null;
            }
        }

        MemberKey(OnlineClient member) {
            this.member = member;
        }
    }

    private final ChatLayer.Context context;
    private final Roster roster;
    private final TrustStore trust;
    private final RoomPolicy policy;
    private final Clock clock;
    private final Pairwise pairwise;
    /** This client's current key, as the pairwise plaintext of a distribution (a fresh copy each call). */
    private final Supplier<byte[]> currentKey;
    private final Map<String, MemberKey> members = new LinkedHashMap<>();
    /** The members that received one of this client's sender keys since they joined: who can read it now. */
    private final Set<String> readers = new HashSet<>();

    RoomKeyHandOver(ChatLayer.Context context, TrustStore trust, Pairwise pairwise, Supplier<byte[]> currentKey) {
        this.context = context;
        this.roster = context.roster();
        this.trust = trust;
        this.policy = context.options().roomPolicy();
        this.clock = context.options().clock();
        this.pairwise = pairwise;
        this.currentKey = currentKey;
    }

    // ---------------------------------------------------------------- members

    /** A member joined: it gets the current key (and so cannot read earlier messages), if the policy allows. */
    void memberJoined(OnlineClient c) {
        MemberKey mk = new MemberKey(c);
        members.put(key(c), mk);
        Optional<RoomKeyWithheldReason> refusal = refusal(c);
        if (refusal.isPresent()) {
            mk.state = KeyState.WITHHELD;
            context.tell(new ClientEvent.RoomKeyWithheld(c, refusal.get()));
        } else {
            handOver(mk);
        }
    }

    /** Whether a member received one of this client's keys since it joined (the relay confirmed it). */
    boolean wasReader(OnlineClient who) {
        return readers.contains(key(who));
    }

    /** A member left: its hand-over and what it was sent are forgotten. */
    void memberLeft(OnlineClient who) {
        String name = key(who);
        MemberKey gone = members.get(name);
        if (gone != null && gone.member.clientId() == who.clientId()) {
            members.remove(name); // not a newcomer that took the name before this departure was announced
            gone.forgetDistribution();
        }
        readers.remove(name);
    }

    /**
     * A pairwise message from a member authenticated: a session exists now, so a member that had no pre-keys, or
     * whose hand-over is waiting for its next try, gets the key at once.
     */
    void heardFrom(OnlineClient from) {
        MemberKey mk = members.get(key(from));
        if (mk != null && (mk.state == KeyState.NO_PRE_KEYS || mk.state == KeyState.RETRYING)) {
            handOver(mk);
        }
    }

    /** The user accepted a member's new identity: it gets the key again, under its new session. */
    void identityAccepted(String peer) {
        MemberKey mk = members.get(peer);
        if (mk != null) {
            mk.member = roster.byName(peer).orElse(mk.member);
            Optional<RoomKeyWithheldReason> refusal = refusal(mk.member);
            if (refusal.isEmpty()) {
                handOver(mk);
            } else if (mk.state != KeyState.WITHHELD) {
                mk.state = KeyState.WITHHELD;
                context.tell(new ClientEvent.RoomKeyWithheld(mk.member, refusal.get()));
            }
        }
    }

    /** The user verified a member: under the verified-only policy, one present in the room may read from now on. */
    void verified(String peer) {
        MemberKey mk = members.get(peer);
        if (mk != null && mk.state == KeyState.WITHHELD && refusal(mk.member).isEmpty()) {
            handOver(mk);
        }
    }

    /**
     * Why the room policy withholds this client's room key from a member, or empty if it may have it: under
     * {@link RoomPolicy#VERIFIED}, only a member whose trusted identity the user verified, with no change pending,
     * and whose key the relay announces is that identity's.
     */
    private Optional<RoomKeyWithheldReason> refusal(OnlineClient c) {
        if (policy == RoomPolicy.EVERYONE) {
            return Optional.empty();
        }
        Optional<TrustedIdentity> known = trust.trustedIdentity(key(c));
        if (known.isEmpty() || !known.get().verified()) {
            return Optional.of(RoomKeyWithheldReason.NOT_VERIFIED);
        }
        if (known.get().changedTo() != null
                || !MessageDigest.isEqual(known.get().key().agreementKey(), c.identityKey())) {
            return Optional.of(RoomKeyWithheldReason.KEY_CHANGED);
        }
        return Optional.empty();
    }

    // ---------------------------------------------------------------- who a public message goes to

    /** The members that hold the key or are being sent it; the others are left out until they can get it. */
    private List<MemberKey> recipients() {
        return members.values().stream()
                .filter(mk -> mk.state == KeyState.SENDING || mk.state == KeyState.HOLDS_KEY
                        || mk.state == KeyState.RETRYING)
                .toList();
    }

    /**
     * The ids a public message goes to now.
     *
     * @return the recipients' ids, ascending
     */
    int[] recipientIds() {
        return recipients().stream().mapToInt(mk -> mk.member.clientId()).sorted().distinct().toArray();
    }

    /**
     * The key was rotated, and a message sent to the {@link #recipientIds()} of just before under the new one: the
     * new key goes to them, in the chat lane to the readers (those that held one of this client's keys since they
     * joined, whether or not the relay has confirmed the last one yet), in the key lane to the newcomers still being
     * sent their first (a join storm's backlog). Copies of the old chain kept for the others are wiped.
     *
     * @param fresh the new key's distribution as pairwise plaintext, from its first iteration; copied
     */
    void rotated(byte[] fresh) {
        List<MemberKey> recipients = recipients();
        for (MemberKey mk : recipients) {
            // Not only HOLDS_KEY: departures in a row rotate again before the relay confirms a reader's last key,
            // and that reader, taken for a newcomer, waited in the key lane behind every newcomer's bundle request
            // (members without pre-keys rejoining under new names: issue 22, point 3).
            boolean reader = mk.state == KeyState.HOLDS_KEY || readers.contains(key(mk.member));
            handOver(mk, reader ? Outbound.Lane.CHAT : Outbound.Lane.KEYS, fresh);
        }
        for (MemberKey mk : members.values()) {
            if (!recipients.contains(mk)) {
                mk.forgetDistribution(); // a copy of the old chain is of no use to anyone now
            }
        }
    }

    // ---------------------------------------------------------------- handing the key over

    /**
     * Sends the key to one member, in the key lane, and follows what becomes of it: the copy it was first sent, if it
     * has been a recipient of this chain since (a retry), else the current key.
     */
    private void handOver(MemberKey mk) {
        handOver(mk, Outbound.Lane.KEYS, null);
    }

    /**
     * Sends a key to one member in a lane.
     *
     * @param fresh the distribution to send, as encoded at a rotation before the first message of the new chain;
     *     {@code null} to send the copy first sent (a retry) or the current key
     */
    private void handOver(MemberKey mk, Outbound.Lane lane, byte[] fresh) {
        boolean retry = mk.distribution != null && (mk.state == KeyState.RETRYING || mk.state == KeyState.SENDING);
        mk.state = KeyState.SENDING;
        mk.retryAt = null;
        int attempt = ++mk.attempt;
        if (fresh != null) {
            mk.forgetDistribution();
            mk.distribution = fresh.clone();
        } else if (!retry) {
            mk.forgetDistribution();
            mk.distribution = currentKey.get();
        }
        pairwise.sendKey(mk.member, mk.distribution.clone(), lane).whenComplete((v, e) -> handedOver(mk, attempt, e));
    }

    private void handedOver(MemberKey mk, int attempt, Throwable failure) {
        if (members.get(key(mk.member)) != mk || attempt != mk.attempt) {
            return; // it left, or a later hand-over (of a rotated key, say) is on its way: that one counts
        }
        if (failure == null) {
            mk.state = KeyState.HOLDS_KEY;
            mk.forgetDistribution();
            mk.failures = 0;
            mk.reported = false;
            String peer = key(mk.member);
            if (readers.add(peer)) {
                // A new reader of this client's public messages: shown with the identity it holds the key under.
                pairwise.describe(peer).ifPresent(id -> context.tell(new ClientEvent.RoomKeyShared(id)));
            }
            return;
        }
        Throwable cause = ClientErrors.unwrap(failure);
        if (cause instanceof UnknownRecipientException) {
            return; // it left; its departure follows
        }
        if (cause instanceof PeerIdentityChangedException) {
            mk.state = KeyState.IDENTITY_CHANGED; // reported on its own, as an identity change
            mk.forgetDistribution(); // no longer a recipient: it gets the key as it is when it is accepted
            return;
        }
        mk.failures++;
        boolean noPreKeys = cause instanceof MessageRejectedException m
                && m.reason() == MessageRejectedException.Reason.NO_PRE_KEYS;
        mk.state = noPreKeys ? KeyState.NO_PRE_KEYS : KeyState.RETRYING;
        if (noPreKeys) {
            mk.forgetDistribution(); // left out from now on: it gets the key as it is when it can
        }
        Duration wait = backOff(noPreKeys ? NO_PRE_KEYS_FIRST : RETRY_FIRST, noPreKeys ? NO_PRE_KEYS_MAX : RETRY_MAX,
                mk.failures);
        mk.retryAt = clock.instant().plus(wait);
        if (!mk.reported) {
            mk.reported = true;
            ChatClientException reason = cause instanceof ChatClientException c ? c
                    : ClientErrors.bug(cause instanceof RuntimeException r ? r : new IllegalStateException(cause));
            MessageRejectedException.Reason why = reason instanceof MessageRejectedException m ? m.reason()
                    : MessageRejectedException.Reason.END_TO_END_FAILURE;
            context.tell(new ClientEvent.RoomKeyNotDelivered(mk.member, new MessageRejectedException(why,
                    "this client's room key did not reach " + mk.member.nickname() + ", who cannot read this client's"
                    + " public messages until it does; it is left out of them and tried again (first in "
                    + wait.toSeconds() + " s): " + reason.getMessage(), reason)));
        }
    }

    private static Duration backOff(Duration first, Duration max, int failures) {
        Duration d = first.multipliedBy(1L << Math.min(20, failures - 1));
        return d.compareTo(max) > 0 ? max : d;
    }

    // ---------------------------------------------------------------- time

    /** When a member's key hand-over is due again. */
    Optional<Instant> nextRetry() {
        Instant next = null;
        for (MemberKey mk : members.values()) {
            if (mk.retryAt != null && (next == null || mk.retryAt.isBefore(next))) {
                next = mk.retryAt;
            }
        }
        return Optional.ofNullable(next);
    }

    /** Tries again the hand-overs that are due. */
    void handleTimeout(Instant now) {
        for (MemberKey mk : List.copyOf(members.values())) {
            if (mk.retryAt != null && !now.isBefore(mk.retryAt)
                    && (mk.state == KeyState.RETRYING || mk.state == KeyState.NO_PRE_KEYS)) {
                handOver(mk);
            }
        }
    }

    /**
     * Where a member's hand-over stands, for tests.
     *
     * @param peer the canonical nickname
     * @return the state, or empty if the member is not in the room
     */
    Optional<KeyState> keyState(String peer) {
        return Optional.ofNullable(members.get(peer)).map(mk -> mk.state);
    }

    /** The session is ending: the copies of the key kept for retries are wiped (best effort). */
    void close() {
        members.values().forEach(MemberKey::forgetDistribution);
    }

    private static String key(OnlineClient c) {
        return Nickname.canonical(c.nickname());
    }

    @Override
    public String toString() {
        List<String> states = new ArrayList<>();
        members.forEach((k, v) -> states.add(k + "=" + v.state));
        return states.toString();
    }
}
