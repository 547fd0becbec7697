package io.securecomm.e2e;

import static io.securecomm.e2e.ChainCrypto.wipe;

import io.securecomm.e2e.SessionRecord.State;
import io.securecomm.e2e.internal.ByteWriter;
import io.securecomm.wire.Nickname;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The pairwise end-to-end session with one peer: ties a {@link ProtocolStore}, trust on first use
 * ({@link TrustStore}), PQXDH and the Double Ratchet together. Byte-oriented: the caller
 * carries what {@link #encrypt} returns to the peer as opaque bytes, and hands what arrives to
 * {@link #decrypt}.
 *
 * <p>Lifecycle: the initiator fetches the peer's {@link PreKeyBundle} and calls
 * {@link #processPreKeyBundle}; its messages are then pre-key messages (type 5) until the first
 * reply decrypts, and ratchet messages (type 1) after. The responder needs no set-up:
 * {@link #decrypt} of a pre-key message creates the session, consuming the one-time pre-keys (curve and KEM) only
 * once the message has decrypted.
 *
 * <p>Post-quantum: every session this class starts or accepts is set up with PQXDH ({@link SessionSetup#PQXDH}); a
 * bundle without a KEM pre-key and an X3DH first message (type 2) are refused with
 * {@link PostQuantumRequiredException}. A session an earlier version set up with X3DH, read from a store, still
 * decrypts what arrives for it, but no longer sends: {@link #hasSession()} is false for it and {@link #encrypt}
 * refuses, so the caller fetches a bundle and replaces it with a PQXDH session ({@link #sessionSetup()} tells which
 * the current session is).
 *
 * <p>Associated data: the PQXDH {@code AD} ({@code Encode(IK_A) || Encode(IK_B)}) followed by both
 * names ({@code u16 length || UTF-8} each, initiator first), as PQXDH allows; so a message re-addressed
 * or re-attributed by the relay fails authentication even between parties who never met. Names are
 * nicknames in their canonical form ({@link Nickname#canonical}): the session, its trust entry and its
 * associated data are the same whatever letter case the relay shows.
 *
 * <p>Failures never change the stored session: a tampered, truncated, replayed or mis-addressed
 * message is refused with a specific {@link E2eException} and the next valid message decrypts.
 * Simultaneous initiation is handled by keeping up to {@value #MAX_ARCHIVED_STATES} previous session
 * states and trying them when the current one cannot decrypt.
 *
 * <p>Trust binding: every session state remembers the identity key it was made with. Only states of the
 * identity the {@link TrustStore} trusts for the peer are used, to send or to receive: when the user replaces
 * that identity ({@link TrustStore#acceptIdentity}), the states of the old one are discarded, current and
 * archived alike, and the identity of the state that decrypts a message is checked again before its
 * plaintext is returned. A pre-key message from a different identity key is refused with
 * {@link UntrustedIdentityException}, and the change is recorded only if the message authenticates
 * (the PQXDH and Double Ratchet decryption succeeds): bytes the relay made up record nothing.
 *
 * <p>Durability: {@link #encrypt} stores the advanced ratchet before it returns the ciphertext, so with a store
 * that writes durably ({@link FileProtocolStore}) a crash can never roll a session back to a message key
 * that already encrypted something that left.
 *
 * <p>Memory: the cipher keeps the decoded session record it works on between calls, so a send reads and decodes
 * nothing (with a {@link FileProtocolStore}, no file read); it still reads the peer's trust entry, which the user may
 * change at any time, and drops the states of an identity that is no longer trusted as a fresh load would. After
 * any failure it forgets the record and loads the stored one again at the next call. {@link #close()} wipes it.
 *
 * <p>Not thread-safe: use one instance per peer and store, from one thread (or lock around it). A second instance
 * for the same peer and store would not see this one's changes, and would overwrite them.
 */
public final class SessionCipher implements AutoCloseable {
    /** How many earlier session states with the peer are kept besides the current one. */
    public static final int MAX_ARCHIVED_STATES = 2;
    /** How many base keys (EK_A) of received pre-key messages are remembered to refuse replays. */
    public static final int MAX_REMEMBERED_BASE_KEYS = 64;

    private final ProtocolStore store;
    private final TrustStore trust;
    private final String localName;
    private final String peer;
    private final SecureRandom random;
    /** The peer's record as last loaded or saved; {@code null} until loaded, and after a failure or a close. */
    private SessionRecord record;

    /**
     * Creates the cipher for one peer.
     *
     * @param store this client's keys, trusted identities and sessions
     * @param localName this client's nickname, as the peer knows it (used in its canonical form)
     * @param peer the peer's nickname (used in its canonical form)
     * @param random randomness for ephemeral and ratchet keys
     */
    public SessionCipher(ProtocolStore store, String localName, String peer, SecureRandom random) {
        this.store = Objects.requireNonNull(store, "store");
        this.trust = new TrustStore(store);
        this.localName = Nickname.canonical(Objects.requireNonNull(localName, "localName"));
        this.peer = Nickname.canonical(Objects.requireNonNull(peer, "peer"));
        this.random = Objects.requireNonNull(random, "random");
    }

    /**
     * Tells whether a session with the peer exists that this version sends on: a PQXDH one. A session an earlier
     * version set up with X3DH does not count (it still decrypts what arrives for it): the caller fetches a bundle
     * and replaces it.
     *
     * @return whether {@link #encrypt} can be called
     */
    public boolean hasSession() {
        return sessionSetup().filter(SessionSetup::postQuantum).isPresent();
    }

    /**
     * Tells how the current session with the peer was set up: whether it is post-quantum protected.
     *
     * @return {@link SessionSetup#PQXDH} or {@link SessionSetup#X3DH} (set up by an earlier version), or empty
     *     without a session (or with a damaged one)
     */
    public Optional<SessionSetup> sessionSetup() {
        try {
            Optional<SessionRecord> rec = load();
            return rec.filter(r -> !r.states.isEmpty()).map(r -> r.states.get(0).setup);
        } catch (InvalidEncodingException e) {
            forget();
            return Optional.empty();
        }
    }

    /**
     * Tells, cheaply, whether decrypting this message would start a new session: it is a pre-key message
     * (type 5) whose base key no session state with the peer already answers, so decrypting it
     * costs a PQXDH (four X25519 operations, an ML-KEM-1024 decapsulation and more). A receiver can bound that work
     * per sender before paying it. Nothing is decrypted or changed.
     *
     * @param message an end-to-end message from the peer
     * @return the base key of the session it would start (a zero-length array if it does not parse, which
     *     decrypting would refuse only after the same parse), or empty if it starts none
     */
    public Optional<byte[]> newSessionBaseKey(byte[] message) {
        Objects.requireNonNull(message, "message");
        if (message.length < 2 || (message[0] & 0xff) != RatchetMessage.VERSION
                || (message[1] & 0xff) != PreKeyMessage.TYPE) {
            return Optional.empty();
        }
        try {
            PreKeyMessage pkm = PreKeyMessage.decode(message);
            byte[] ek = pkm.ephemeralKey();
            Optional<SessionRecord> rec = load();
            if (rec.isPresent()) {
                for (State st : rec.get().states) {
                    if (MessageDigest.isEqual(st.baseKey, ek) && st.remoteIdentity.equals(pkm.initiator())) {
                        return Optional.empty();
                    }
                }
            }
            return Optional.of(ek);
        } catch (InvalidEncodingException | InvalidSignatureException | PostQuantumRequiredException e) {
            return Optional.of(new byte[0]);
        }
    }

    /**
     * Returns the peer's identity in the current session.
     *
     * @return the identity key, or empty without a session
     * @throws InvalidEncodingException if the stored session is damaged
     */
    public Optional<IdentityKey> remoteIdentity() throws InvalidEncodingException {
        try {
            return load().filter(r -> !r.states.isEmpty()).map(r -> r.states.get(0).remoteIdentity);
        } catch (InvalidEncodingException e) {
            forget();
            throw e;
        }
    }

    /**
     * Starts a session as the initiator from the peer's bundle (PQXDH, then {@code RatchetInitAlice}).
     * The peer's identity is remembered on first use.
     *
     * @param bundle the peer's pre-key bundle, as the relay handed it out (a bundle without a KEM pre-key never gets
     *     here: {@link PreKeyBundle#decode} refuses it with {@link PostQuantumRequiredException})
     * @throws InvalidSignatureException if the bundle's signatures are bad (refused)
     * @throws UntrustedIdentityException if the peer is known with a different identity key (a reinstall or
     *     a relay substituting keys), or such a change awaits the user's decision: no session is stored, and
     *     the new key is recorded as a pending change ({@link TrustStore#pendingChange})
     * @throws InvalidEncodingException if a key in the bundle is invalid or the stored session is damaged
     */
    public void processPreKeyBundle(PreKeyBundle bundle)
            throws InvalidSignatureException, UntrustedIdentityException, InvalidEncodingException {
        Objects.requireNonNull(bundle, "bundle");
        bundle.verify();
        trust.decide(peer, bundle.identity(), false, true);
        IdentityKeyPair me = store.identityKeyPair();
        try (Pqxdh.Initiation x = Pqxdh.initiate(me, bundle, random)) {
            byte[] sk = x.sharedSecret();
            RatchetSession rs;
            try {
                rs = RatchetSession.initAlice(sk, sessionAd(x.associatedData(), localName, peer),
                        x.responderRatchetKey(), random);
            } finally {
                wipe(sk);
            }
            State st = new State(bundle.identity(), x.ephemeralPublicKey(), true, x.signedPreKeyId(),
                    x.oneTimePreKeyId(), SessionSetup.PQXDH, x.kemPreKeyId(), x.kemCiphertext(), rs);
            try {
                SessionRecord rec = loadOrNew();
                rec.promoteNew(st);
                trust.checkAndRemember(peer, bundle.identity());
                save(rec);
            } catch (Throwable t) {
                st.close();
                forget();
                throw t;
            }
        }
    }

    /**
     * Encrypts one message to the peer ({@code RatchetEncrypt}).
     *
     * @param plaintext the plaintext
     * @return the bytes to carry to the peer: a pre-key message until the peer replies, then a ratchet message
     * @throws NoSessionException if there is no session, or only one with an identity key the user has since
     *     replaced (it was discarded), or only one an earlier version set up with X3DH (not post-quantum protected):
     *     fetch a bundle and call {@link #processPreKeyBundle}
     * @throws UntrustedIdentityException if a different identity key was seen for the peer and the user has
     *     not yet accepted or rejected it ({@link TrustStore#acceptIdentity}, {@link TrustStore#rejectChange})
     * @throws InvalidEncodingException if the stored session is damaged
     * @throws IllegalStateException if the session cannot send yet
     */
    public byte[] encrypt(byte[] plaintext)
            throws NoSessionException, UntrustedIdentityException, InvalidEncodingException {
        Objects.requireNonNull(plaintext, "plaintext");
        try {
            SessionRecord rec = load().orElseThrow(() -> new NoSessionException("no session with '" + peer
                    + "': fetch its pre-key bundle first"));
            if (rec.states.isEmpty()) {
                throw new NoSessionException("no session with '" + peer + "' under its trusted identity key (the key"
                        + " of the last one was replaced); fetch its pre-key bundle");
            }
            State st = rec.states.get(0);
            if (!st.setup.postQuantum()) {
                throw new NoSessionException("the session with '" + peer + "' was set up with X3DH by an earlier"
                        + " version and is not post-quantum protected; fetch its pre-key bundle to start a PQXDH"
                        + " session");
            }
            trust.decide(peer, st.remoteIdentity, true, true);
            RatchetMessage m = st.ratchet.encrypt(plaintext);
            byte[] out = st.pending
                    ? new PreKeyMessage(store.identityKeyPair().publicKey(), st.baseKey, st.signedPreKeyId,
                            st.oneTimePreKeyId, st.kemPreKeyId, st.kemCiphertext, m).encode()
                    : m.encode();
            save(rec);
            return out;
        } catch (Throwable t) {
            forget();
            throw t;
        }
    }

    /**
     * Decrypts one message from the peer ({@code RatchetDecrypt}; for a pre-key message, PQXDH and
     * {@code RatchetInitBob} first). On any failure no session state is stored and no pre-key consumed;
     * only a different identity key for a known peer is recorded, as a pending change, and only when its
     * pre-key message authenticates. Only session states of the peer's trusted identity are tried, and the
     * identity of the one that decrypts is checked before the plaintext is returned.
     *
     * @param message the bytes the peer sent
     * @return the plaintext
     * @throws PostQuantumRequiredException if it is an X3DH pre-key message (type 2, from a client older than
     *     PQXDH): this version starts no session without post-quantum key agreement
     * @throws InvalidEncodingException if the bytes do not parse (truncated, unknown type)
     * @throws InvalidSignatureException if the sender's identity binding is bad
     * @throws UntrustedIdentityException if the sender presents an identity other than the one remembered (in an
     *     authenticated pre-key message; the change is then recorded), or the state that decrypted is not of the
     *     trusted identity
     * @throws InvalidPreKeyException if a pre-key message names a pre-key this client does not hold
     * @throws NoSessionException if a ratchet message arrives without a session
     * @throws DuplicateMessageException if the message was already decrypted (a replay)
     * @throws TooManySkippedMessagesException if the message is too far ahead in its chain
     * @throws InvalidMessageException if authentication fails (tampered, mis-addressed, other keys)
     */
    public byte[] decrypt(byte[] message) throws PostQuantumRequiredException, InvalidEncodingException,
            InvalidSignatureException, UntrustedIdentityException, InvalidPreKeyException, NoSessionException,
            DuplicateMessageException, TooManySkippedMessagesException, InvalidMessageException {
        Objects.requireNonNull(message, "message");
        if (message.length < 2 || (message[0] & 0xff) != RatchetMessage.VERSION) {
            throw new InvalidEncodingException("end-to-end message must start with version " + RatchetMessage.VERSION);
        }
        int type = message[1] & 0xff;
        try {
            if (type == RatchetMessage.TYPE) {
                return decryptRatchet(RatchetMessage.decode(message));
            } else if (type == PreKeyMessage.TYPE || type == PreKeyMessage.X3DH_TYPE) {
                // PreKeyMessage.decode refuses type 2 (X3DH) with PostQuantumRequiredException.
                return decryptPreKey(PreKeyMessage.decode(message));
            }
        } catch (Throwable t) {
            // A state may have decrypted before a later check refused: the record in memory is not the stored one.
            forget();
            throw t;
        }
        throw new InvalidEncodingException("unknown end-to-end message type " + type);
    }

    private byte[] decryptRatchet(RatchetMessage m) throws NoSessionException, UntrustedIdentityException,
            InvalidEncodingException, DuplicateMessageException, TooManySkippedMessagesException,
            InvalidMessageException {
        SessionRecord rec = load().orElseThrow(() -> new NoSessionException("ratchet message from '" + peer
                + "' but there is no session with it"));
        if (rec.states.isEmpty()) {
            throw new NoSessionException("ratchet message from '" + peer + "' but there is no session with its"
                    + " trusted identity key");
        }
        return decryptWithStates(rec, rec.states, m);
    }

    /**
     * Tries each candidate state in turn; the first that decrypts becomes current and is saved, once its
     * identity is checked against the trusted one (as Signal's design does: the state that decrypts is the one
     * whose identity counts, not the current one).
     */
    private byte[] decryptWithStates(SessionRecord rec, List<State> candidates, RatchetMessage m)
            throws InvalidEncodingException, DuplicateMessageException, TooManySkippedMessagesException,
            InvalidMessageException, UntrustedIdentityException {
        E2eException first = null;
        for (State st : List.copyOf(candidates)) {
            try {
                byte[] plaintext = st.ratchet.decrypt(m);
                // Nothing is saved if this throws: the record in memory is forgotten, the stored one is unchanged.
                trust.decide(peer, st.remoteIdentity, true, false);
                st.pending = false;
                rec.states.remove(st);
                rec.states.add(0, st);
                save(rec);
                return plaintext;
            } catch (InvalidEncodingException | DuplicateMessageException | TooManySkippedMessagesException
                    | InvalidMessageException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first instanceof DuplicateMessageException d) {
            throw d;
        } else if (first instanceof TooManySkippedMessagesException t) {
            throw t;
        } else if (first instanceof InvalidEncodingException i) {
            throw i;
        } else if (first instanceof InvalidMessageException i) {
            throw i;
        }
        throw new InvalidMessageException("no session state with '" + peer + "' decrypts the message");
    }

    private byte[] decryptPreKey(PreKeyMessage pkm) throws UntrustedIdentityException, InvalidEncodingException,
            InvalidPreKeyException, DuplicateMessageException, TooManySkippedMessagesException,
            InvalidMessageException {
        // The claim is checked now but recorded only once the message authenticates.
        boolean changed = trust.check(peer, pkm.initiator()) == TrustDecision.CHANGED
                && !trust.trustedIdentity(peer).orElseThrow().key().equals(pkm.initiator());
        byte[] ek = pkm.ephemeralKey();
        SessionRecord rec = loadOrNew();
        // A later message of a session this client already answers: same base key, same session.
        List<State> same = new ArrayList<>();
        for (State st : rec.states) {
            if (MessageDigest.isEqual(st.baseKey, ek) && st.remoteIdentity.equals(pkm.initiator())) {
                same.add(st);
            }
        }
        if (!same.isEmpty()) {
            return decryptWithStates(rec, same, pkm.message());
        }
        if (rec.seenBaseKeys.contains(HexFormat.of().formatHex(ek))) {
            throw new DuplicateMessageException("pre-key message with a base key (EK_A) already used");
        }
        RatchetSession rs = respond(pkm, ek);
        byte[] plaintext;
        try {
            plaintext = rs.decrypt(pkm.message());
        } catch (E2eException e) {
            rs.close();
            throw e;
        }
        if (changed) {
            // Authenticated: whoever sent it holds the private key it claims. Record the change for the user
            // to decide on, and consume nothing: the message decrypts again once the user accepts the key.
            rs.close();
            wipe(plaintext);
            throw trust.recordChange(peer, pkm.initiator());
        }
        // Success: only now consume the one-time pre-keys (PQXDH section 3.4) and remember the peer.
        if (pkm.oneTimePreKeyId().isPresent()) {
            store.removePreKey(pkm.oneTimePreKeyId().getAsInt());
        }
        removeIfOneTime(pkm.kemPreKeyId());
        trust.checkAndRemember(peer, pkm.initiator());
        rec.rememberBaseKey(ek);
        rec.promoteNew(new State(pkm.initiator(), ek, false, pkm.signedPreKeyId(), pkm.oneTimePreKeyId(),
                SessionSetup.PQXDH, pkm.kemPreKeyId(), null, rs));
        save(rec);
        return plaintext;
    }

    /** Deletes a KEM pre-key after its use if it is a one-time one; the last-resort one stays. */
    private void removeIfOneTime(int kemPreKeyId) {
        Optional<KemPreKeyRecord> kem = store.loadKemPreKey(kemPreKeyId);
        kem.ifPresent(k -> {
            if (k.kind() == KemPreKeyKind.ONE_TIME) {
                store.removeKemPreKey(kemPreKeyId);
            }
            k.close();
        });
    }

    /** PQXDH as the responder and {@code RatchetInitBob}; the pre-key records loaded are closed here. */
    private RatchetSession respond(PreKeyMessage pkm, byte[] ek) throws InvalidPreKeyException,
            InvalidEncodingException {
        SignedPreKeyRecord spk = store.loadSignedPreKey(pkm.signedPreKeyId()).orElseThrow(() ->
                new InvalidPreKeyException("pre-key message names unknown signed pre-key "
                        + Integer.toUnsignedString(pkm.signedPreKeyId())));
        OneTimePreKeyRecord opk = null;
        KemPreKeyRecord kem = null;
        byte[] sk = null;
        byte[] spkPrivate = null;
        try {
            kem = store.loadKemPreKey(pkm.kemPreKeyId()).orElseThrow(() -> new InvalidPreKeyException(
                    "pre-key message names KEM pre-key " + Integer.toUnsignedString(pkm.kemPreKeyId())
                            + ", which is unknown, already used, or replaced long ago"));
            if (pkm.oneTimePreKeyId().isPresent()) {
                int id = pkm.oneTimePreKeyId().getAsInt();
                opk = store.loadPreKey(id).orElseThrow(() -> new InvalidPreKeyException(
                        "pre-key message names one-time pre-key " + Integer.toUnsignedString(id)
                                + ", which is unknown or already used"));
            }
            IdentityKeyPair me = store.identityKeyPair();
            sk = Pqxdh.respond(me, spk, opk, kem, pkm.initiator(), ek, pkm.kemCiphertext());
            spkPrivate = spk.privateKeyCopy();
            return RatchetSession.initBob(sk, sessionAd(Pqxdh.associatedData(pkm.initiator(), me.publicKey()), peer,
                    localName), spkPrivate, spk.publicKeyCopy(), random);
        } finally {
            wipe(sk, spkPrivate);
            spk.close();
            if (opk != null) {
                opk.close();
            }
            if (kem != null) {
                kem.close();
            }
        }
    }

    private static byte[] sessionAd(byte[] pqxdhAd, String initiatorName, String responderName) {
        return new ByteWriter().bytes(pqxdhAd).bytes16(initiatorName.getBytes(StandardCharsets.UTF_8))
                .bytes16(responderName.getBytes(StandardCharsets.UTF_8)).toByteArray();
    }

    /**
     * The peer's record with the states of its trusted identity only: the one kept from the last call, or else the
     * stored one. States of any other identity (one the user has replaced since) are discarded for good, current and
     * archived alike, and the record is stored without them: they can never decrypt again. The remembered base keys
     * stay, to keep refusing replays.
     */
    private Optional<SessionRecord> load() throws InvalidEncodingException {
        if (record == null) {
            Optional<byte[]> b = store.loadSession(peer);
            if (b.isEmpty()) {
                return Optional.empty();
            }
            try {
                record = SessionRecord.decode(b.get(), random);
            } finally {
                wipe(b.get());
            }
        }
        Optional<TrustedIdentity> trusted = trust.trustedIdentity(peer);
        if (trusted.isPresent() && record.discardStatesNotOf(trusted.get().key())) {
            save(record);
        }
        return Optional.of(record);
    }

    /** The record as {@link #load()} gives it, or a new empty one that this cipher keeps from now on. */
    private SessionRecord loadOrNew() throws InvalidEncodingException {
        Optional<SessionRecord> rec = load();
        if (rec.isEmpty()) {
            record = new SessionRecord();
        }
        return record;
    }

    private void save(SessionRecord rec) {
        byte[] b = rec.encode();
        try {
            store.storeSession(peer, b);
        } finally {
            wipe(b);
        }
    }

    /** Drops (and wipes) the kept record: the next call loads the stored one. */
    private void forget() {
        if (record != null) {
            record.close();
            record = null;
        }
    }

    /**
     * Wipes the session record this cipher keeps in memory (best effort: the JVM may have copied it). The stored
     * record stays; a later call loads it again.
     */
    @Override
    public void close() {
        forget();
    }
}
