package io.securecomm.e2e;

import io.securecomm.wire.Nickname;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One client's end of the room, with sender keys as Signal's group design uses them: this member
 * encrypts each room message once with its own sender-key chain and signs it; every other
 * member decrypts with the {@link SenderKeyDistribution} this member sent it through their pairwise
 * {@link SessionCipher} session. Byte-oriented and sans-I/O: the caller carries the bytes.
 *
 * <p>The caller's duties (the relay integration):
 * <ul>
 *   <li>when a member joins, send it {@link #distribution()} through the pairwise session (it reads
 *       messages from the current iteration on, never earlier ones);</li>
 *   <li>call {@link #processDistribution} only with a distribution that arrived through the pairwise
 *       session with that member: a member's messages are accepted only under a key distributed that
 *       way;</li>
 *   <li>when a member leaves or disconnects, call {@link #memberLeft}; {@link #encrypt} then refuses
 *       until {@link #rotate()} has made a new sender key, which must be sent to every remaining member
 *       first; the departed member's copy cannot read later messages;</li>
 *   <li>call {@link #expirePending()} now and then (e.g. once a second), to report messages whose
 *       sender key never came.</li>
 * </ul>
 *
 * <p>A message from a member whose key has not arrived yet is held in {@link PendingRoomMessages}
 * (bounded in count and time) and decrypted when the key arrives, or reported as undecryptable; never
 * dropped silently. Failures of a message never change any state. Up to
 * {@value #MAX_CHAINS_PER_MEMBER} chains are kept per member, so messages sent just before a rotation
 * still decrypt.
 *
 * <p>Members are named by nickname and kept under its canonical form ({@link Nickname#canonical}); the events
 * name them so.
 *
 * <p>Not thread-safe: confine to one thread or event loop.
 */
public final class GroupCipher implements AutoCloseable {
    /** How many sender-key chains are kept per member (the newest and the one before). */
    public static final int MAX_CHAINS_PER_MEMBER = 2;

    private final PendingRoomMessages pending;
    private final SecureRandom random;
    private final Map<String, Deque<SenderKeyState>> members = new HashMap<>();
    private SenderKeyState own;
    private boolean rotationNeeded;

    /**
     * Creates the room cipher.
     *
     * @param pending where messages wait for their sender's key
     * @param random randomness for sender keys
     */
    public GroupCipher(PendingRoomMessages pending, SecureRandom random) {
        this.pending = Objects.requireNonNull(pending, "pending");
        this.random = Objects.requireNonNull(random, "random");
    }

    private SenderKeyState own() {
        if (own == null) {
            own = SenderKeyState.newSendingChain(random);
        }
        return own;
    }

    /**
     * Returns this member's current sender key, to send to a member through the pairwise session.
     *
     * @return the distribution; the caller closes it after sending
     */
    public SenderKeyDistribution distribution() {
        return own().distribution();
    }

    /**
     * Tells whether a member left since the last rotation, so {@link #rotate()} is due before sending.
     *
     * @return whether a rotation is needed
     */
    public boolean needsRotation() {
        return rotationNeeded;
    }

    /**
     * Replaces this member's sender key with a fresh one (new chain id, chain key and signing key).
     * Send the result to every remaining member through the pairwise sessions before encrypting again.
     *
     * @return the new distribution; the caller closes it after sending
     */
    public SenderKeyDistribution rotate() {
        if (own != null) {
            own.close();
        }
        own = SenderKeyState.newSendingChain(random);
        rotationNeeded = false;
        return own.distribution();
    }

    /**
     * Encrypts and signs a room message with the next key of this member's chain.
     *
     * @param plaintext the plaintext
     * @return the room message, the same bytes for every member
     * @throws IllegalStateException if a member left and {@link #rotate()} has not been called since
     */
    public byte[] encrypt(byte[] plaintext) {
        if (rotationNeeded) {
            throw new IllegalStateException("a member left: rotate() and distribute the new sender key first");
        }
        return own().encrypt(plaintext);
    }

    /**
     * Handles a room message from a member: checks its signature with that member's distributed key,
     * then decrypts it; or holds it if the member's key for that chain has not arrived.
     *
     * @param sender the member the relay says sent it
     * @param message the room message
     * @return a {@link RoomEvent.Decrypted}, or a {@link RoomEvent.Held} (plus any
     *     {@link RoomEvent.Undecryptable} for older messages given up to make room)
     * @throws InvalidEncodingException if it is not a room message
     * @throws InvalidSignatureException if it is not signed by the key the sender distributed (forged)
     * @throws DuplicateMessageException if it was already decrypted (a replay)
     * @throws TooManySkippedMessagesException if it is too far ahead in the sender's chain
     * @throws InvalidMessageException if authentication fails
     */
    public List<RoomEvent> decrypt(String sender, byte[] message) throws InvalidEncodingException,
            InvalidSignatureException, DuplicateMessageException, TooManySkippedMessagesException,
            InvalidMessageException {
        Objects.requireNonNull(message, "message");
        sender = Nickname.canonical(Objects.requireNonNull(sender, "sender"));
        int chainId = SenderKeyState.chainIdOf(message);
        SenderKeyState st = find(sender, chainId);
        List<RoomEvent> out = new ArrayList<>();
        if (st == null) {
            out.add(new RoomEvent.Held(sender));
            out.addAll(pending.hold(sender, message));
            return out;
        }
        out.add(new RoomEvent.Decrypted(sender, st.decrypt(message)));
        return out;
    }

    /**
     * Installs a member's sender key, received through the pairwise session with that member, and
     * decrypts the messages held for it.
     *
     * @param sender the member whose pairwise session delivered the distribution
     * @param distribution the distribution
     * @return events for the held messages of that member: decrypted, or undecryptable if they fail
     */
    public List<RoomEvent> processDistribution(String sender, SenderKeyDistribution distribution) {
        Objects.requireNonNull(distribution, "distribution");
        String member = Nickname.canonical(Objects.requireNonNull(sender, "sender"));
        Deque<SenderKeyState> chains = members.computeIfAbsent(member, s -> new ArrayDeque<>());
        // A chain already known keeps its state: accepting an earlier iteration would revive used keys.
        if (find(member, distribution.chainId()) == null) {
            chains.addFirst(SenderKeyState.fromDistribution(distribution));
            while (chains.size() > MAX_CHAINS_PER_MEMBER) {
                chains.removeLast().close();
            }
        }
        List<RoomEvent> out = new ArrayList<>();
        // Only the messages of a chain now known leave the holder; the others stay as they were, with the time
        // they arrived, so a new key from the sender does not restart their clock (issue 22: a message held at 13 s
        // was reported at 70 s, re-held with each key).
        for (PendingRoomMessages.HeldMessage h : pending.release(member, h -> knownChain(member, h.message()))) {
            byte[] m = h.message();
            try {
                SenderKeyState st = find(member, SenderKeyState.chainIdOf(m));
                out.add(st == null ? new RoomEvent.Undecryptable(member, RoomEvent.Reason.REJECTED, "no chain")
                        : new RoomEvent.Decrypted(member, st.decrypt(m)));
            } catch (E2eException e) {
                out.add(new RoomEvent.Undecryptable(member, RoomEvent.Reason.REJECTED, e.getMessage()));
            }
        }
        return out;
    }

    private boolean knownChain(String member, byte[] message) {
        try {
            return find(member, SenderKeyState.chainIdOf(message)) != null;
        } catch (InvalidEncodingException e) {
            return true; // released, to be reported as rejected rather than held for nothing
        }
    }

    /**
     * This member's session is ending: gives up every held message and reports each, so none vanishes.
     *
     * @return one {@link RoomEvent.Undecryptable} ({@link RoomEvent.Reason#SESSION_ENDED}) per held message
     */
    public List<RoomEvent> giveUpHeld() {
        return pending.discardAll(RoomEvent.Reason.SESSION_ENDED);
    }

    /**
     * A member left or disconnected: forgets its sender keys, gives up its held messages, and requires
     * a {@link #rotate()} before this member sends again.
     *
     * @param member the member
     * @return events for the member's held messages, given up
     */
    public List<RoomEvent> memberLeft(String member) {
        return memberLeft(member, true);
    }

    /**
     * A member left or disconnected: forgets its sender keys and gives up its held messages, as
     * {@link #memberLeft(String)}; a {@link #rotate()} is required only if the member may hold this member's sender
     * key. One that was never sent it (no pairwise session was ever set up with it, say: it published no pre-keys)
     * cannot read this member's messages, before its departure or after, so rotating for it would only cost every
     * remaining member a new key.
     *
     * @param member the member
     * @param mayHoldOwnKey whether this member's sender key may have reached it; {@code true} when in doubt: with
     *     {@code false} the chain is kept, and a member that did hold it could read what follows
     * @return events for the member's held messages, given up
     */
    public List<RoomEvent> memberLeft(String member, boolean mayHoldOwnKey) {
        String name = Nickname.canonical(Objects.requireNonNull(member, "member"));
        Deque<SenderKeyState> chains = members.remove(name);
        if (chains != null) {
            chains.forEach(SenderKeyState::close);
        }
        rotationNeeded |= mayHoldOwnKey;
        return pending.discard(name, RoomEvent.Reason.MEMBER_LEFT);
    }

    /**
     * Reports held messages whose sender key did not arrive in time.
     *
     * @return one {@link RoomEvent.Undecryptable} per message given up
     */
    public List<RoomEvent> expirePending() {
        return pending.expire();
    }

    /**
     * When {@link #expirePending()} next has a held message to give up.
     *
     * @return the instant, or empty if no message is held
     */
    public Optional<Instant> nextExpiry() {
        return pending.nextExpiry();
    }

    private SenderKeyState find(String sender, int chainId) {
        Deque<SenderKeyState> chains = members.get(sender);
        if (chains == null) {
            return null;
        }
        for (SenderKeyState s : chains) {
            if (s.chainId() == chainId) {
                return s;
            }
        }
        return null;
    }

    /** Wipes every sender key held. */
    @Override
    public void close() {
        if (own != null) {
            own.close();
        }
        members.values().forEach(d -> d.forEach(SenderKeyState::close));
        members.clear();
    }

    /**
     * Describes the room state without keys.
     *
     * @return a description
     */
    @Override
    public String toString() {
        return "GroupCipher[members=" + members.keySet() + ", held=" + pending.size() + ", keys=<redacted>]";
    }
}
