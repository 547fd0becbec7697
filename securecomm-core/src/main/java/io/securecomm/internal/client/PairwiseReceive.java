package io.securecomm.internal.client;

import io.securecomm.client.OnlineClient;
import io.securecomm.client.UndecryptableMessageException;
import io.securecomm.e2e.DuplicateMessageException;
import io.securecomm.e2e.E2eException;
import io.securecomm.e2e.SessionCipher;
import io.securecomm.e2e.UntrustedIdentityException;
import io.securecomm.wire.Limits;
import io.securecomm.wire.Nickname;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The inbound pairwise path: a ciphertext from one peer, decrypted on the session kept with it (or one it starts),
 * then shown as chat text, handed to the room as a sender key, or reported as undecryptable.
 *
 * <p>Inbound work is bounded per sender: a pre-key message that would start a new session costs a PQXDH, so each
 * peer may start at most {@value SessionStartLimit#BURST} new sessions with this client, then one per
 * {@link SessionStartLimit#REFILL_PERIOD}; beyond that its session starts are reported and dropped unread. A message
 * under an identity change the user has not decided on is held (up to {@value #MAX_REFUSED_PER_PEER} per peer, the
 * oldest dropped first) and handed in again once the user accepts the change.
 *
 * <p>Not thread-safe: confined to the client's thread.
 */
final class PairwiseReceive {
    /** How many messages refused because of an undecided identity change are kept per peer for later. */
    static final int MAX_REFUSED_PER_PEER = 16;

    private final ChatLayer.Context context;
    private final PeerSessions sessions;
    private final PeerIdentities identities;
    private final ClientRoom room;
    private final Clock clock;
    private final SessionStartLimit sessionStarts = new SessionStartLimit();
    private final Map<String, Deque<byte[]>> refused = new HashMap<>();

    PairwiseReceive(ChatLayer.Context context, PeerSessions sessions, PeerIdentities identities, ClientRoom room) {
        this.context = context;
        this.sessions = sessions;
        this.identities = identities;
        this.room = room;
        this.clock = context.options().clock();
    }

    /**
     * Decrypts a ciphertext and reports what it holds, or why it cannot be read.
     *
     * @param from the sender (id 0 if it is not online: a stored message)
     * @param ciphertext the {@code SessionCipher} message
     * @param sentAt when the relay stored it, or {@code null} for a message delivered live
     */
    void receive(OnlineClient from, byte[] ciphertext, Instant sentAt) {
        String peer = Nickname.canonical(from.nickname());
        SessionCipher cipher = sessions.cipher(peer);
        Optional<byte[]> start = cipher.newSessionBaseKey(ciphertext);
        if (start.isPresent() && !mayStart(peer)) {
            return;
        }
        byte[] plaintext;
        try {
            plaintext = cipher.decrypt(ciphertext);
            start.ifPresent(baseKey -> sessionStarts.tried(peer, baseKey, true));
        } catch (UntrustedIdentityException e) {
            start.ifPresent(baseKey -> sessionStarts.tried(peer, baseKey, true));
            hold(peer, ciphertext);
            identities.warnOfChange(peer, e.change());
            return;
        } catch (E2eException e) {
            start.ifPresent(baseKey -> sessionStarts.tried(peer, baseKey, false));
            if (sentAt != null && e instanceof DuplicateMessageException) {
                return; // a stored message processed before this client last stopped, sent again: shown once
            }
            undecryptable(peer, true, e.getMessage(), e);
            return;
        }
        if (from.clientId() > 0) {
            room.heardFrom(from);
        }
        show(from, peer, plaintext, sentAt);
    }

    /**
     * Takes the messages held for a peer under an identity the user had not accepted.
     *
     * @return the ciphertexts, oldest first; none if nothing was held
     */
    List<byte[]> takeHeld(String peer) {
        Deque<byte[]> held = refused.remove(peer);
        return held == null ? List.of() : List.copyOf(held);
    }

    /**
     * Reports a message that cannot be shown.
     *
     * @param peer who the relay says sent it
     * @param isPrivate whether it was a private message (else a room message)
     * @param reason why it cannot be shown
     * @param cause the exception behind it, or {@code null}
     */
    void undecryptable(String peer, boolean isPrivate, String reason, Throwable cause) {
        context.tell(new ClientEvent.Undecryptable(new UndecryptableMessageException(peer, isPrivate, reason,
                cause)));
    }

    private boolean mayStart(String peer) {
        SessionStartLimit.Verdict verdict = sessionStarts.check(peer, clock.instant());
        if (verdict == SessionStartLimit.Verdict.REFUSE_AND_REPORT) {
            undecryptable(peer, true, peer + " started more new end-to-end sessions with this client than it may ("
                    + SessionStartLimit.BURST + ", then one per " + SessionStartLimit.REFILL_PERIOD.toSeconds()
                    + " s); " + sessionStarts.refused(peer) + " dropped unread so far", null);
        }
        return verdict == SessionStartLimit.Verdict.START;
    }

    private void hold(String peer, byte[] ciphertext) {
        Deque<byte[]> held = refused.computeIfAbsent(peer, p -> new ArrayDeque<>());
        if (held.size() == MAX_REFUSED_PER_PEER) {
            held.removeFirst();
        }
        held.addLast(ciphertext);
    }

    private void show(OnlineClient from, String peer, byte[] plaintext, Instant sentAt) {
        if (plaintext.length < 1) {
            undecryptable(peer, true, "the decrypted message is empty", null);
            return;
        }
        int kind = plaintext[0] & 0xFF;
        if (kind == PairwisePlaintext.KIND_TEXT) {
            Optional<String> text = PairwisePlaintext.text(plaintext);
            if (text.isEmpty()) {
                undecryptable(peer, true, "the decrypted text is not 1 to " + Limits.TEXT_MAX_BYTES
                        + " bytes of well-formed UTF-8", null);
                return;
            }
            context.tell(new ClientEvent.MessageReceived(context.message(Optional.of(from), from.nickname(),
                    text.get(), true, sentAt)));
        } else if (kind == PairwisePlaintext.KIND_SENDER_KEY) {
            room.senderKey(from, plaintext);
        } else {
            undecryptable(peer, true, "unknown content kind " + kind, null);
        }
    }
}
