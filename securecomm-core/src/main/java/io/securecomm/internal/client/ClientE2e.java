package io.securecomm.internal.client;

import io.securecomm.client.ChatClientException;
import io.securecomm.client.DeliveryStatus;
import io.securecomm.client.MessageRejectedException;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.PeerIdentity;
import io.securecomm.client.PeerIdentityChangedException;
import io.securecomm.client.PeerKeysRejectedException;
import io.securecomm.client.SafetyNumberMismatchException;
import io.securecomm.client.UndecryptableMessageException;
import io.securecomm.client.UnknownRecipientException;
import io.securecomm.e2e.DuplicateMessageException;
import io.securecomm.e2e.E2eException;
import io.securecomm.e2e.IdentityChange;
import io.securecomm.e2e.IdentityKey;
import io.securecomm.e2e.NoSessionException;
import io.securecomm.e2e.PreKeyBundle;
import io.securecomm.e2e.PreKeyUpload;
import io.securecomm.e2e.PreKeys;
import io.securecomm.e2e.ProtocolStore;
import io.securecomm.e2e.SafetyNumber;
import io.securecomm.e2e.SessionCipher;
import io.securecomm.e2e.TrustStore;
import io.securecomm.e2e.TrustedIdentity;
import io.securecomm.e2e.UntrustedIdentityException;
import io.securecomm.wire.AccountBundleRequest;
import io.securecomm.wire.AckStored;
import io.securecomm.wire.Envelope;
import io.securecomm.wire.Limits;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageType;
import io.securecomm.wire.Nickname;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.PreKeyCount;
import io.securecomm.wire.PrivateMessage;
import io.securecomm.wire.PublicMessage;
import io.securecomm.wire.RoomEnvelope;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendToAccount;
import io.securecomm.wire.StoredEnvelope;
import io.securecomm.wire.UploadPreKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The client's end-to-end layer: pre-key publication, one {@link SessionCipher} per peer, trust on first
 * use, and the pairwise plaintext format; the room is its {@link ClientRoom}. It turns chat text into opaque
 * envelopes for the relay and envelopes back into chat messages or reported failures.
 *
 * <p>Pairwise plaintext (inside a {@link SessionCipher} message):
 *
 * <pre>
 * +------+---------------------------+
 * | kind |  body                     |   kind 0x01: chat text, UTF-8 (1 to 4096 bytes)
 * +------+---------------------------+   kind 0x02: a room sender-key distribution (docs/E2E.md)
 * </pre>
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
 * ({@link Outbound.Lane#KEYS}); what it reports goes through the session's events; it never calls the session back.
 *
 * <p>Inbound work is bounded per sender: a pre-key message that would start a new session costs a PQXDH, so each
 * member may start at most {@value SessionStartLimit#BURST} new sessions with this client, then one per
 * {@link SessionStartLimit#REFILL_PERIOD}; beyond that its session starts are reported and dropped unread. A changed
 * identity is reported once per key the peer claims, not once per message.
 *
 * <p>Stored messages (docs/E2E.md, "Offline delivery"): private chat goes to the relay as {@link SendToAccount}, so
 * that a peer who is offline, or leaves while it is on its way, gets it later; a session with an offline peer starts
 * from the bundle the relay keeps for its account ({@link AccountBundleRequest}). A {@link StoredEnvelope} is
 * decrypted (which saves the session's new state in the protocol store) and then acknowledged; one the relay sends
 * again is dropped by its id, or, after a restart of this client, because its message key is already used.
 *
 * <p>Confinement: every method runs on the client's one thread, never on the Netty event loop, so the X25519 and
 * Ed25519 work never delays the socket. Sends to one peer are chained one after the other, so a session is set up
 * once and the messages leave in the order they were sent.
 */
public final class ClientE2e implements ChatLayer {
    /** Pairwise content kind: chat text. */
    public static final int KIND_TEXT = 0x01;
    /** Pairwise content kind: a sender-key distribution for the room. */
    public static final int KIND_SENDER_KEY = 0x02;
    /** How many messages refused because of an undecided identity change are kept per peer for later. */
    static final int MAX_REFUSED_PER_PEER = 16;
    /**
     * How often a connected client checks whether its signed pre-key is due for rotation; {@link PreKeys} decides,
     * with the options' clock, so this only bounds how late a rotation can be.
     */
    static final Duration SIGNED_PRE_KEY_CHECK_PERIOD = Duration.ofMinutes(60);

    /** How many stored messages' acknowledgements are gathered into one {@link AckStored}. */
    static final int ACK_BATCH = 64;
    /** How long a stored message's acknowledgement may wait for others to go with it. */
    static final Duration ACK_DELAY = Duration.ofMillis(20);

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final ChatLayer.Context context;
    private final ProtocolStore store;
    private final TrustStore trust;
    private final Roster roster;
    private final Requests requests;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, SessionCipher> ciphers = new HashMap<>();
    private final Map<String, CompletableFuture<?>> tails = new HashMap<>();
    private final Map<String, Deque<byte[]>> refused = new HashMap<>();
    /** Per peer, the changed key last reported to the user: a peer claiming it again is not reported again. */
    private final Map<String, IdentityKey> reportedChanges = new HashMap<>();
    private final SessionStartLimit sessionStarts;
    private final ClientRoom room;
    private String localName;
    /** The ids of the stored messages this connection processed: one the relay sends again is dropped. */
    private final Set<Long> storedSeen = new HashSet<>();
    private final List<Long> acknowledgements = new ArrayList<>();
    private Instant acknowledgeBy;
    private boolean replenishing;
    private Instant nextSignedPreKeyCheck;

    /**
     * Creates the layer of one client.
     *
     * @param context what the client's session lends it: the options (protocol store, clock, room policy), the
     *     roster, the requests and the events
     */
    public ClientE2e(ChatLayer.Context context) {
        this.context = context;
        this.store = context.options().protocolStore();
        this.trust = new TrustStore(store);
        this.clock = context.options().clock();
        this.roster = context.roster();
        this.requests = context.requests();
        this.sessionStarts = new SessionStartLimit();
        this.room = new ClientRoom(context, trust, new ClientRoom.Pairwise() {
            @Override
            public CompletableFuture<DeliveryStatus> sendKey(OnlineClient to, byte[] plaintext, Outbound.Lane lane) {
                return sendPairwise(to, plaintext, lane).thenCompose(delivered -> delivered);
            }

            @Override
            public Optional<PeerIdentity> describe(String peer) {
                return trust.trustedIdentity(peer).map(t -> ClientE2e.this.describe(peer, t));
            }
        }, random);
    }

    private IdentityKey identityKey() {
        return store.identityKeyPair().publicKey();
    }

    /**
     * Sets this client's name as the relay welcomed it and publishes its pre-keys: the signed keys and a fresh batch
     * of one-time curve and ML-KEM pre-keys, in the uploads {@link PreKeys} splits them into (two, each within the
     * relay's default frame). The relay answers in order, so the first upload is in place before any bundle request
     * this client's welcome lets others send is answered.
     */
    @Override
    public CompletableFuture<Void> welcomed(String nickname) {
        this.localName = Nickname.canonical(nickname);
        // Counts the relay reports before the last of these uploads is in count only the first ones (a request that
        // waited for this client's first upload is answered by it): no replenishing until all are in.
        replenishing = true;
        return upload(PreKeys.prepareUploads(store, PreKeys.TARGET_ONE_TIME_PRE_KEYS,
                PreKeys.TARGET_ONE_TIME_KEM_PRE_KEYS, clock, random), "pre-key upload")
                .whenComplete((v, e) -> replenishing = false);
    }

    /** Sends the uploads one after the other (pipelined); completes when the relay accepted all, fails on a refusal. */
    private CompletableFuture<Void> upload(List<PreKeyUpload> uploads, String what) {
        List<CompletableFuture<Void>> deliveries = new ArrayList<>();
        for (PreKeyUpload u : uploads) {
            byte[] encoded = u.encode();
            deliveries.add(requests.delivery(id -> new UploadPreKeys(id, encoded), what, null).thenApply(s -> null));
        }
        return CompletableFuture.allOf(deliveries.toArray(CompletableFuture[]::new));
    }

    /** Connected: sends this client's sender key to every member already in the room that the policy allows. */
    @Override
    public void connected() {
        nextSignedPreKeyCheck = clock.instant().plus(SIGNED_PRE_KEY_CHECK_PERIOD);
        room.connected();
    }

    @Override
    public boolean takesStoredMessages() {
        return true;
    }

    @Override
    public Optional<Instant> pollTimeout() {
        Instant next = room.pollTimeout().orElse(null);
        if (acknowledgeBy != null && (next == null || acknowledgeBy.isBefore(next))) {
            next = acknowledgeBy;
        }
        if (nextSignedPreKeyCheck != null && (next == null || nextSignedPreKeyCheck.isBefore(next))) {
            next = nextSignedPreKeyCheck;
        }
        return Optional.ofNullable(next);
    }

    /**
     * Gives up on held room messages whose key did not arrive in time, tries again the room keys that are due, and
     * rotates the signed pre-key when it is due, since a client may stay connected for longer than the rotation
     * period.
     */
    @Override
    public void handleTimeout(Instant now) {
        if (acknowledgeBy != null && !now.isBefore(acknowledgeBy)) {
            acknowledge();
        }
        room.handleTimeout(now);
        if (nextSignedPreKeyCheck != null && !now.isBefore(nextSignedPreKeyCheck)) {
            nextSignedPreKeyCheck = now.plus(SIGNED_PRE_KEY_CHECK_PERIOD);
            maintainSignedPreKey();
        }
    }

    /** What arrives for the end-to-end layer: envelopes, and the count of this client's pre-keys left. */
    @Override
    public void receive(Message message) {
        switch (message.type()) {
            case ENVELOPE -> {
                Envelope envelope = (Envelope) message;
                Optional<OnlineClient> from = roster.other(envelope.senderId());
                if (from.isEmpty()) {
                    undecryptable("client " + envelope.senderId(), "the relay names a sender that is not in this"
                            + " client's roster", null);
                } else {
                    receive(from.get(), envelope.ciphertext());
                }
            }
            case ROOM_ENVELOPE -> {
                RoomEnvelope envelope = (RoomEnvelope) message;
                Optional<OnlineClient> from = roster.other(envelope.senderId());
                if (from.isEmpty()) {
                    undecryptable("client " + envelope.senderId(), false, "the relay names a sender that is not"
                            + " another member in this client's roster", null);
                } else {
                    room.receive(from.get(), envelope.ciphertext());
                }
            }
            case PUBLIC_MESSAGE, PRIVATE_MESSAGE -> {
                // Plaintext chat from the relay is never shown: the relay could have written it itself.
                String sender = message instanceof PublicMessage m ? m.senderNickname()
                        : ((PrivateMessage) message).senderNickname();
                undecryptable(sender, message.type() == MessageType.PRIVATE_MESSAGE, "it arrived"
                        + " unencrypted, so the relay could have forged it; this client shows only end-to-end"
                        + " encrypted messages", null);
            }
            case STORED_ENVELOPE -> receiveStored((StoredEnvelope) message);
            case PRE_KEY_COUNT -> preKeyCount((PreKeyCount) message);
            default -> throw new IllegalArgumentException("not for the end-to-end layer: " + message.type());
        }
    }

    /**
     * The relay handed out one of this client's bundles and says how many one-time pre-keys of each kind are left:
     * below a watermark, the client tops both kinds up (one upload in the usual case; at most one replenishment at a
     * time).
     */
    private void preKeyCount(PreKeyCount count) {
        if (replenishing || !PreKeys.needsReplenish(count.remaining(), count.remainingKem())) {
            return;
        }
        replenishing = true;
        List<PreKeyUpload> uploads = PreKeys.replenish(store, count.remaining(), count.remainingKem(), clock, random);
        reportFailure(upload(uploads, "pre-key upload").whenComplete((v, e) -> replenishing = false),
                "the pre-key upload failed: ");
    }

    /**
     * Rotates the signed curve pre-key and the last-resort KEM pre-key if either is due (and deletes replaced ones
     * past their grace period), publishing them.
     */
    private void maintainSignedPreKey() {
        PreKeys.rotateSignedPreKeysIfDue(store, clock, random).ifPresent(upload -> reportFailure(
                upload(List.of(upload), "signed pre-key upload"), "the signed pre-key upload failed: "));
    }

    /** Reports the failure of work no application future waits for. */
    private void reportFailure(CompletableFuture<?> work, String what) {
        work.whenComplete((v, e) -> {
            if (e != null) {
                Throwable cause = ClientErrors.unwrap(e);
                ChatClientException error = cause instanceof ChatClientException c ? c
                        : new MessageRejectedException(MessageRejectedException.Reason.END_TO_END_FAILURE,
                                what + cause.getMessage(), cause);
                context.tell(new ClientEvent.Error(error));
            }
        });
    }

    /** Sends chat text to one peer through the pairwise session. */
    @Override
    public CompletableFuture<DeliveryStatus> sendPrivate(OnlineClient to, String text) {
        return serially(key(to), () -> sendNow(to, kind(KIND_TEXT, text.getBytes(StandardCharsets.UTF_8)),
                Outbound.Lane.CHAT, true)).thenCompose(delivered -> delivered);
    }

    /**
     * Sends chat text to an account's holder who is not online, through the session kept with it or one started from
     * the bundle the relay keeps for it.
     */
    @Override
    public CompletableFuture<DeliveryStatus> sendToAccount(String nickname, String text) {
        String peer = Nickname.canonical(nickname);
        byte[] plaintext = kind(KIND_TEXT, text.getBytes(StandardCharsets.UTF_8));
        return serially(peer, () -> sendOffline(nickname, peer, plaintext)).thenCompose(delivered -> delivered);
    }

    private CompletableFuture<CompletableFuture<DeliveryStatus>> sendOffline(String nickname, String peer,
            byte[] plaintext) {
        try {
            refuseIfChangePending(peer);
            SessionCipher cipher = cipher(peer);
            if (cipher.remoteIdentity().isPresent()) {
                try {
                    return CompletableFuture.completedFuture(toAccount(nickname, cipher.encrypt(plaintext)));
                } catch (NoSessionException x3dh) {
                    // A session an earlier version set up with X3DH: replaced by a PQXDH one below.
                }
            }
        } catch (ChatClientException e) {
            return CompletableFuture.failedFuture(e);
        } catch (UntrustedIdentityException e) {
            return CompletableFuture.failedFuture(changed(e.change()));
        } catch (E2eException | IllegalStateException e) {
            return CompletableFuture.failedFuture(cannotEncrypt(peer, e));
        }
        return requests.send(id -> new AccountBundleRequest(id, nickname), Requests.ACCOUNT_BUNDLE,
                "pre-key bundle request", nickname, Outbound.Lane.CHAT).thenCompose(answer -> {
                    try {
                        PreKeyBundle bundle = PreKeyBundle.decode(answer.bundle());
                        if (!MessageDigest.isEqual(bundle.identity().agreementKey(), answer.identityKey())) {
                            return CompletableFuture.failedFuture(new PeerKeysRejectedException("the relay handed"
                                    + " out a bundle for " + peer + " whose identity is not the key its account is"
                                    + " registered to; nothing was sent", null));
                        }
                        cipher(peer).processPreKeyBundle(bundle);
                        return CompletableFuture.completedFuture(toAccount(nickname, cipher(peer).encrypt(plaintext)));
                    } catch (UntrustedIdentityException e) {
                        PeerIdentityChangedException change = changed(e.change());
                        warnOfChange(peer, e.change().current(), change);
                        return CompletableFuture.failedFuture(change);
                    } catch (E2eException e) {
                        return CompletableFuture.failedFuture(new PeerKeysRejectedException("the relay handed out"
                                + " keys for " + peer + " that this client refuses (" + e.getMessage()
                                + "); nothing was sent", e));
                    }
                });
    }

    private CompletableFuture<DeliveryStatus> toAccount(String nickname, byte[] ciphertext) {
        return requests.send(id -> new SendToAccount(id, nickname, ciphertext), Requests.REPORT, "private message",
                nickname, Outbound.Lane.CHAT);
    }

    /**
     * A message the relay stored for this client: decrypted (its session's new state saved), shown with the time it
     * was sent, then acknowledged, in batches. One already processed is only acknowledged again.
     */
    private void receiveStored(StoredEnvelope stored) {
        if (storedSeen.add(stored.messageId())) {
            OnlineClient from = roster.byName(stored.senderNickname())
                    .filter(c -> MessageDigest.isEqual(c.identityKey(), stored.senderIdentityKey()))
                    .orElseGet(() -> new OnlineClient(0, stored.senderNickname(), stored.senderIdentityKey()));
            receive(from, stored.ciphertext(), Instant.ofEpochMilli(stored.sentAtMillis()));
        }
        acknowledgements.add(stored.messageId());
        if (acknowledgements.size() >= ACK_BATCH) {
            acknowledge();
        } else if (acknowledgeBy == null) {
            acknowledgeBy = clock.instant().plus(ACK_DELAY);
        }
    }

    private void acknowledge() {
        acknowledgeBy = null;
        for (int from = 0; from < acknowledgements.size(); from += Limits.ACK_MAX_MESSAGE_IDS) {
            List<Long> batch = acknowledgements.subList(from, Math.min(acknowledgements.size(),
                    from + Limits.ACK_MAX_MESSAGE_IDS));
            context.sendNow(new AckStored(batch.stream().mapToLong(Long::longValue).toArray()));
        }
        acknowledgements.clear();
    }

    /**
     * Sends pairwise plaintext to one peer, after earlier sends to it.
     *
     * @param lane the lane of the requests it makes: chat, or the room's key set-up
     * @return a future completed once the envelope is handed to the session's outbound queue, holding the future of
     *     its delivery
     */
    private CompletableFuture<CompletableFuture<DeliveryStatus>> sendPairwise(OnlineClient to, byte[] plaintext,
            Outbound.Lane lane) {
        return serially(key(to), () -> sendNow(to, plaintext, lane));
    }

    /**
     * Runs one step after the previous one with the same key (a peer's nickname) is done; for a send, "done" means
     * handed to the session's outbound queue (the step's future holds the delivery's). The relay keeps one sender's
     * messages in order at each recipient, so the next message may go as soon as the previous one is queued: sends are
     * pipelined, not one round trip each, and a slow recipient cannot stall a sender (the relay drops it at its
     * limit). The Double Ratchet reads a peer's messages in any order, so the lanes may reorder them.
     */
    private <T> CompletableFuture<T> serially(String key, Supplier<CompletableFuture<T>> step) {
        CompletableFuture<?> previous = tails.getOrDefault(key, DONE);
        CompletableFuture<T> next = previous.handle((v, e) -> null).thenCompose(v -> step.get());
        tails.put(key, next);
        next.whenComplete((v, e) -> tails.remove(key, next));
        return next;
    }

    private CompletableFuture<CompletableFuture<DeliveryStatus>> sendNow(OnlineClient to, byte[] plaintext,
            Outbound.Lane lane) {
        return sendNow(to, plaintext, lane, false);
    }

    /** @param toAccount chat text, sent to the account (stored if the peer left); else by id, live only */
    private CompletableFuture<CompletableFuture<DeliveryStatus>> sendNow(OnlineClient to, byte[] plaintext,
            Outbound.Lane lane, boolean toAccount) {
        String peer = key(to);
        try {
            refuseIfChangePending(peer);
            SessionCipher cipher = cipher(peer);
            if (sessionMatches(cipher, to)) {
                try {
                    return CompletableFuture.completedFuture(toAccount ? toAccount(to.nickname(),
                            cipher.encrypt(plaintext)) : envelope(to, cipher.encrypt(plaintext), lane));
                } catch (NoSessionException x3dh) {
                    // A session an earlier version set up with X3DH: replaced by a PQXDH one below.
                }
            }
        } catch (ChatClientException e) {
            return CompletableFuture.failedFuture(e);
        } catch (UntrustedIdentityException e) {
            return CompletableFuture.failedFuture(changed(e.change()));
        } catch (E2eException | IllegalStateException e) {
            return CompletableFuture.failedFuture(cannotEncrypt(peer, e));
        }
        return startSession(to, lane).thenCompose(v -> {
            try {
                byte[] ciphertext = cipher(peer).encrypt(plaintext);
                return CompletableFuture.completedFuture(toAccount ? toAccount(to.nickname(), ciphertext)
                        : envelope(to, ciphertext, lane));
            } catch (UntrustedIdentityException e) {
                return CompletableFuture.failedFuture(changed(e.change()));
            } catch (E2eException | IllegalStateException e) {
                return CompletableFuture.failedFuture(cannotEncrypt(peer, e));
            }
        });
    }

    private static MessageRejectedException cannotEncrypt(String peer, Exception e) {
        return new MessageRejectedException(MessageRejectedException.Reason.END_TO_END_FAILURE, "cannot encrypt to "
                + peer + ": " + e.getMessage(), e);
    }

    private CompletableFuture<DeliveryStatus> envelope(OnlineClient to, byte[] ciphertext, Outbound.Lane lane) {
        return requests.send(id -> new SendEnvelope(id, to.clientId(), ciphertext), Requests.DELIVERED,
                "private message", to.nickname(), lane);
    }

    /**
     * A session is used only while its identity is the one the relay announces for the peer now; a
     * different key means the peer changed identity (or the relay lies about one of the two), and a new
     * bundle then goes through the trust check. No session is no match. (A session an earlier version set up with
     * X3DH matches, but {@link SessionCipher#encrypt} refuses to send on it, and the caller replaces it with a
     * post-quantum one.)
     */
    private static boolean sessionMatches(SessionCipher cipher, OnlineClient to) throws E2eException {
        Optional<IdentityKey> remote = cipher.remoteIdentity();
        return remote.isPresent() && MessageDigest.isEqual(remote.get().agreementKey(), to.identityKey());
    }

    /**
     * Fetches the peer's bundle from the relay and runs PQXDH, trusting the identity on first use. A bundle without
     * an ML-KEM pre-key (an older peer, or a relay that removed it) is refused like any bundle this client refuses:
     * {@code PeerKeysRejectedException}, nothing sent.
     */
    private CompletableFuture<Void> startSession(OnlineClient to, Outbound.Lane lane) {
        String peer = key(to);
        return requests.send(id -> new PreKeyBundleRequest(id, to.clientId()), Requests.BUNDLE,
                "pre-key bundle request", peer, lane).thenCompose(bytes -> {
                    try {
                        PreKeyBundle bundle = PreKeyBundle.decode(bytes);
                        if (!MessageDigest.isEqual(bundle.identity().agreementKey(), to.identityKey())) {
                            return CompletableFuture.failedFuture(new PeerKeysRejectedException("the relay handed"
                                    + " out a bundle for " + peer + " whose identity is not the key the relay"
                                    + " announced for " + peer + "; nothing was sent", null));
                        }
                        cipher(peer).processPreKeyBundle(bundle);
                        return DONE;
                    } catch (UntrustedIdentityException e) {
                        PeerIdentityChangedException change = changed(e.change());
                        warnOfChange(peer, e.change().current(), change);
                        return CompletableFuture.failedFuture(change);
                    } catch (E2eException e) {
                        return CompletableFuture.failedFuture(new PeerKeysRejectedException("the relay handed out"
                                + " keys for " + peer + " that this client refuses (" + e.getMessage()
                                + "); nothing was sent", e));
                    }
                });
    }

    /** An envelope arrived: decrypts it and reports the message, or reports why it cannot be read. */
    private void receive(OnlineClient from, byte[] ciphertext) {
        receive(from, ciphertext, null);
    }

    /** @param sentAt when the relay stored it, or {@code null} for an envelope delivered live */
    private void receive(OnlineClient from, byte[] ciphertext, Instant sentAt) {
        String peer = key(from);
        SessionCipher cipher = cipher(peer);
        Optional<byte[]> start = cipher.newSessionBaseKey(ciphertext);
        if (start.isPresent()) {
            SessionStartLimit.Verdict verdict = sessionStarts.check(peer, clock.instant());
            if (verdict != SessionStartLimit.Verdict.START) {
                if (verdict == SessionStartLimit.Verdict.REFUSE_AND_REPORT) {
                    undecryptable(peer, peer + " started more new end-to-end sessions with this client than it may ("
                            + SessionStartLimit.BURST + ", then one per " + SessionStartLimit.REFILL_PERIOD.toSeconds()
                            + " s); " + sessionStarts.refused(peer) + " dropped unread so far", null);
                }
                return;
            }
        }
        byte[] plaintext;
        try {
            plaintext = cipher.decrypt(ciphertext);
            start.ifPresent(baseKey -> sessionStarts.tried(peer, baseKey, true));
        } catch (UntrustedIdentityException e) {
            start.ifPresent(baseKey -> sessionStarts.tried(peer, baseKey, true));
            Deque<byte[]> held = refused.computeIfAbsent(peer, p -> new ArrayDeque<>());
            if (held.size() == MAX_REFUSED_PER_PEER) {
                held.removeFirst();
            }
            held.addLast(ciphertext);
            warnOfChange(peer, e.change().current(), changed(e.change()));
            return;
        } catch (E2eException e) {
            start.ifPresent(baseKey -> sessionStarts.tried(peer, baseKey, false));
            if (sentAt != null && e instanceof DuplicateMessageException) {
                return; // a stored message processed before this client last stopped, sent again: shown once
            }
            undecryptable(peer, e.getMessage(), e);
            return;
        }
        if (from.clientId() > 0) {
            room.heardFrom(from);
        }
        if (plaintext.length < 1) {
            undecryptable(peer, "the decrypted message is empty", null);
            return;
        }
        int kind = plaintext[0] & 0xFF;
        if (kind == KIND_TEXT) {
            Optional<String> text = ClientRoom.text(plaintext);
            if (text.isEmpty()) {
                undecryptable(peer, "the decrypted text is not 1 to " + Limits.TEXT_MAX_BYTES
                        + " bytes of well-formed UTF-8", null);
                return;
            }
            context.tell(new ClientEvent.MessageReceived(context.message(Optional.of(from), from.nickname(),
                    text.get(), true, sentAt)));
        } else if (kind == KIND_SENDER_KEY) {
            room.senderKey(from, plaintext);
        } else {
            undecryptable(peer, "unknown content kind " + kind, null);
        }
    }

    /**
     * Warns the user of a peer's changed identity, once per key it claims: a stream of messages under one new key
     * (9,120 warnings under a flood of forged first messages) is one warning, and a peer that claims yet another key
     * is warned of again.
     */
    private void warnOfChange(String peer, IdentityKey claimed, PeerIdentityChangedException change) {
        IdentityKey last = reportedChanges.put(peer, claimed);
        if (!claimed.equals(last)) {
            context.tell(new ClientEvent.IdentityChanged(change));
        }
    }

    // ---- the room: ClientRoom (docs/E2E.md, "Sender keys") ----

    /** A member joined: it gets this client's current sender key if the room policy allows. */
    @Override
    public void memberJoined(OnlineClient c) {
        room.memberJoined(c);
    }

    /** A member left or was disconnected: forget its chains; this client rotates before its next send. */
    @Override
    public void memberLeft(OnlineClient who) {
        String peer = key(who);
        forgetCipher(peer);
        refused.remove(peer);
        room.memberLeft(who);
    }

    /** Sends one public message at once: see {@link ClientRoom#sendPublic}. */
    @Override
    public CompletableFuture<DeliveryStatus> sendPublic(String text) {
        return room.sendPublic(kind(KIND_TEXT, text.getBytes(StandardCharsets.UTF_8)));
    }

    static byte[] kind(int kind, byte[] body) {
        byte[] out = new byte[1 + body.length];
        out[0] = (byte) kind;
        System.arraycopy(body, 0, out, 1, body.length);
        return out;
    }

    /** Reports the room messages still held, then wipes the room keys and the sessions kept in memory. */
    @Override
    public void close() {
        room.close();
        ciphers.values().forEach(SessionCipher::close);
        ciphers.clear();
    }

    private void undecryptable(String peer, String reason, Throwable cause) {
        undecryptable(peer, true, reason, cause);
    }

    private void undecryptable(String peer, boolean isPrivate, String reason, Throwable cause) {
        context.tell(new ClientEvent.Undecryptable(new UndecryptableMessageException(peer, isPrivate, reason,
                cause)));
    }

    @Override
    public CompletableFuture<PeerIdentity> peerIdentity(String peer) {
        return serially(peer, () -> {
            Optional<TrustedIdentity> known = trust.trustedIdentity(peer);
            if (known.isPresent()) {
                return CompletableFuture.completedFuture(describe(peer, known.get()));
            }
            Optional<OnlineClient> online = roster.byName(peer);
            if (online.isEmpty()) {
                return CompletableFuture.failedFuture(new UnknownRecipientException(peer));
            }
            return startSession(online.get(), Outbound.Lane.CHAT).thenApply(v -> describe(peer,
                    trust.trustedIdentity(peer).orElseThrow()));
        });
    }

    private PeerIdentity describe(String peer, TrustedIdentity t) {
        return new PeerIdentity(peer, t.key().fingerprint(), safetyNumber(t.key(), peer), t.verified(),
                t.pendingChange().map(IdentityKey::fingerprint), t.pendingChange().map(k -> safetyNumber(k, peer)),
                cipher(peer).sessionSetup());
    }

    @Override
    public CompletableFuture<Void> markVerified(String peer) {
        return serially(peer, () -> {
            Optional<TrustedIdentity> known = trust.trustedIdentity(peer);
            if (known.isEmpty()) {
                return CompletableFuture.failedFuture(new UnknownRecipientException(peer));
            }
            Optional<IdentityChange> pending = trust.pendingChange(peer);
            if (pending.isPresent()) {
                return CompletableFuture.failedFuture(changed(pending.get()));
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
        return serially(peer, () -> {
            Optional<IdentityChange> pending = trust.pendingChange(peer);
            if (pending.isEmpty()) {
                return CompletableFuture.completedFuture(false);
            }
            IdentityKey key = pending.get().current();
            if (!safetyNumber(key, peer).equals(compared)) {
                return CompletableFuture.failedFuture(new SafetyNumberMismatchException(peer, key.fingerprint()));
            }
            trust.acceptPendingChange(peer, key);
            reportedChanges.remove(peer);
            forgetCipher(peer);
            Deque<byte[]> held = refused.remove(peer);
            Optional<OnlineClient> online = roster.byName(peer);
            if (held != null && online.isPresent()) {
                for (byte[] m : held) {
                    receive(online.get(), m);
                }
            }
            room.identityAccepted(peer);
            return CompletableFuture.completedFuture(true);
        });
    }

    /** Rejects a peer's pending change: the trusted key stays, and what was held under other keys is dropped. */
    @Override
    public CompletableFuture<Boolean> rejectNewIdentity(String peer) {
        return serially(peer, () -> {
            refused.remove(peer);
            reportedChanges.remove(peer);
            return CompletableFuture.completedFuture(trust.rejectChange(peer));
        });
    }

    private void refuseIfChangePending(String peer) throws PeerIdentityChangedException {
        Optional<IdentityChange> pending = trust.pendingChange(peer);
        if (pending.isPresent()) {
            throw changed(pending.get());
        }
    }

    private PeerIdentityChangedException changed(IdentityChange change) {
        return new PeerIdentityChangedException(change.peer(), change.previous().fingerprint(),
                change.current().fingerprint(), safetyNumber(change.current(), change.peer()));
    }

    private SafetyNumber safetyNumber(IdentityKey remote, String peer) {
        return SafetyNumber.of(identityKey(), localName, remote, peer);
    }

    /** The key of everything this layer keeps about a peer: its canonical nickname. */
    private static String key(OnlineClient c) {
        return Nickname.canonical(c.nickname());
    }

    private SessionCipher cipher(String peer) {
        return ciphers.computeIfAbsent(peer, p -> new SessionCipher(store, localName, p, random));
    }

    /** Drops (and wipes) the session kept in memory for a peer: the next use loads the stored one. */
    private void forgetCipher(String peer) {
        SessionCipher gone = ciphers.remove(peer);
        if (gone != null) {
            gone.close();
        }
    }

    /** Where a member's room key hand-over stands, for tests. */
    Optional<ClientRoom.KeyState> roomKeyState(String peer) {
        return room.keyState(peer);
    }
}
