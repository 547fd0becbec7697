package io.securecomm.internal.client;

import io.securecomm.client.ChatClientException;
import io.securecomm.client.DeliveryStatus;
import io.securecomm.client.MessageRejectedException;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.PeerKeysRejectedException;
import io.securecomm.client.UnknownRecipientException;
import io.securecomm.e2e.E2eException;
import io.securecomm.e2e.IdentityKey;
import io.securecomm.e2e.NoSessionException;
import io.securecomm.e2e.PreKeyBundle;
import io.securecomm.e2e.SessionCipher;
import io.securecomm.e2e.UntrustedIdentityException;
import io.securecomm.wire.AccountBundleRequest;
import io.securecomm.wire.Nickname;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendToAccount;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The outbound pairwise path: one plaintext to one peer, through the session kept with it, or through one started
 * (PQXDH, trust on first use) from a pre-key bundle the relay hands out. There is one path and two routes:
 *
 * <ul>
 *   <li>to a member online ({@link #toMember}): its session is used only while its identity is the one the relay
 *       announces for the member now, and a new session starts from the bundle the relay hands out for its id;
 *   <li>to an account's holder who is not online ({@link #toAccount}): the session kept with it is used, or one
 *       starts from the bundle the relay keeps for its account, bound to the key the account is registered to.
 * </ul>
 *
 * <p>Chat text goes as {@link SendToAccount} either way, so that a peer who leaves while it is on its way gets it
 * later; a room key goes to a member by id ({@link SendEnvelope}), live only, and not at all (nor its bundle asked
 * for) if the member has left by the time its turn comes. Nothing is sent to a peer whose identity
 * change the user has not decided on, nor under a bundle this client refuses. Sends to one peer run one after the
 * other ({@link PeerChains}).
 *
 * <p>Not thread-safe: confined to the client's thread.
 */
final class PairwiseSend {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final Requests requests;
    private final PeerSessions sessions;
    private final PeerIdentities identities;
    private final PeerChains chains;
    private final Roster roster;

    PairwiseSend(Requests requests, PeerSessions sessions, PeerIdentities identities, PeerChains chains,
            Roster roster) {
        this.requests = requests;
        this.sessions = sessions;
        this.identities = identities;
        this.chains = chains;
        this.roster = roster;
    }

    /** Where one plaintext goes, and where a session with its recipient starts from. */
    abstract static class Route {
        private final String peer;

        Route(String nickname) {
            this.peer = Nickname.canonical(nickname);
        }

        /** The recipient's canonical nickname, which names its session and its trust. */
        final String peer() {
            return peer;
        }

        /** Whether the session kept with the recipient may carry the plaintext. */
        abstract boolean fits(SessionCipher session) throws E2eException;

        /** Whether the recipient is gone by the time the plaintext's turn comes, so that nothing is to be sent. */
        boolean gone() {
            return false;
        }

        /** Asks the relay for the recipient's bundle. */
        abstract CompletableFuture<Bundle> bundle();

        /** Sends the ciphertext; the future completes with the relay's answer. */
        abstract CompletableFuture<DeliveryStatus> send(byte[] ciphertext);
    }

    /**
     * A pre-key bundle as the relay handed it out.
     *
     * @param encoded the bundle
     * @param identityKey the key the bundle must be bound to
     * @param boundTo what that key is, for the refusal's message
     */
    record Bundle(byte[] encoded, byte[] identityKey, String boundTo) {}

    /**
     * The route to a member online.
     *
     * @param to the member as the roster has it now
     * @param lane the lane of the requests: chat, or the room's key set-up
     * @param asChat chat text (sent to the member's account, stored if it left); else a room key, by id, live only
     */
    Route toMember(OnlineClient to, Outbound.Lane lane, boolean asChat) {
        return new Route(to.nickname()) {
            @Override
            boolean fits(SessionCipher session) throws E2eException {
                // A different key means the peer changed identity (or the relay lies about one of the two): a new
                // bundle then goes through the trust check. An X3DH session matches, but encrypt refuses it.
                Optional<IdentityKey> remote = session.remoteIdentity();
                return remote.isPresent() && MessageDigest.isEqual(remote.get().agreementKey(), to.identityKey());
            }

            @Override
            boolean gone() {
                // A room key goes live only, by id: once the member has left, it asks for no bundle and sends
                // nothing the relay could only refuse. Keys queued behind a newcomer's held bundle request (one per
                // rotation) used to go out one by one after it left, each a bundle request in the key lane.
                return !asChat && roster.other(to.clientId()).isEmpty();
            }

            @Override
            CompletableFuture<Bundle> bundle() {
                return requests.send(id -> new PreKeyBundleRequest(id, to.clientId()), Requests.BUNDLE,
                        "pre-key bundle request", peer(), lane).thenApply(bytes -> new Bundle(bytes,
                        to.identityKey(), "the key the relay announced for " + peer()));
            }

            @Override
            CompletableFuture<DeliveryStatus> send(byte[] ciphertext) {
                return asChat ? account(to.nickname(), ciphertext, lane)
                        : requests.send(id -> new SendEnvelope(id, to.clientId(), ciphertext), Requests.DELIVERED,
                                "private message", to.nickname(), lane);
            }
        };
    }

    /**
     * The route to an account's holder who is not online: chat text, stored by the relay until it returns.
     *
     * @param nickname the account's nickname, as the application spelled it
     */
    Route toAccount(String nickname) {
        return new Route(nickname) {
            @Override
            boolean fits(SessionCipher session) throws E2eException {
                return session.remoteIdentity().isPresent();
            }

            @Override
            CompletableFuture<Bundle> bundle() {
                return requests.send(id -> new AccountBundleRequest(id, nickname), Requests.ACCOUNT_BUNDLE,
                        "pre-key bundle request", nickname, Outbound.Lane.CHAT).thenApply(answer -> new Bundle(
                        answer.bundle(), answer.identityKey(), "the key its account is registered to"));
            }

            @Override
            CompletableFuture<DeliveryStatus> send(byte[] ciphertext) {
                return account(nickname, ciphertext, Outbound.Lane.CHAT);
            }
        };
    }

    /**
     * Sends a plaintext along a route, after earlier sends to the same peer.
     *
     * @return the delivery's future: the relay's answer, or why nothing was sent
     */
    CompletableFuture<DeliveryStatus> send(Route route, byte[] plaintext) {
        return chains.serially(route.peer(), () -> encryptAndSend(route, plaintext)).thenCompose(sent -> sent);
    }

    /**
     * Starts a session along a route (for a peer's identity, before anything is sent).
     *
     * @return completed once the session is set up, or failed with why not
     */
    CompletableFuture<Void> startSession(Route route) {
        String peer = route.peer();
        return route.bundle().thenCompose(b -> {
            try {
                PreKeyBundle bundle = PreKeyBundle.decode(b.encoded());
                if (!MessageDigest.isEqual(bundle.identity().agreementKey(), b.identityKey())) {
                    return CompletableFuture.failedFuture(new PeerKeysRejectedException("the relay handed out a bundle"
                            + " for " + peer + " whose identity is not " + b.boundTo() + "; nothing was sent", null));
                }
                sessions.cipher(peer).processPreKeyBundle(bundle);
                return DONE;
            } catch (UntrustedIdentityException e) {
                return CompletableFuture.failedFuture(identities.warnOfChange(peer, e.change()));
            } catch (E2eException e) {
                return CompletableFuture.failedFuture(new PeerKeysRejectedException("the relay handed out keys for "
                        + peer + " that this client refuses (" + e.getMessage() + "); nothing was sent", e));
            }
        });
    }

    /**
     * Encrypts on the session kept with the peer if it fits (an X3DH session, set up by an earlier version, is
     * replaced by a PQXDH one), else starts one first.
     *
     * @return a future completed once the message is handed to the session's outbound queue, holding the future of
     *     its delivery
     */
    private CompletableFuture<CompletableFuture<DeliveryStatus>> encryptAndSend(Route route, byte[] plaintext) {
        String peer = route.peer();
        if (route.gone()) {
            return CompletableFuture.failedFuture(new UnknownRecipientException(peer));
        }
        try {
            identities.refuseIfChangePending(peer);
            SessionCipher session = sessions.cipher(peer);
            if (route.fits(session)) {
                try {
                    return CompletableFuture.completedFuture(route.send(session.encrypt(plaintext)));
                } catch (NoSessionException x3dh) {
                    // A session an earlier version set up with X3DH: replaced by a PQXDH one below.
                }
            }
        } catch (ChatClientException e) {
            return CompletableFuture.failedFuture(e);
        } catch (UntrustedIdentityException e) {
            return CompletableFuture.failedFuture(identities.changed(e.change()));
        } catch (E2eException | IllegalStateException e) {
            return CompletableFuture.failedFuture(cannotEncrypt(peer, e));
        }
        return startSession(route).thenCompose(v -> {
            try {
                return CompletableFuture.completedFuture(route.send(sessions.cipher(peer).encrypt(plaintext)));
            } catch (UntrustedIdentityException e) {
                return CompletableFuture.failedFuture(identities.changed(e.change()));
            } catch (E2eException | IllegalStateException e) {
                return CompletableFuture.failedFuture(cannotEncrypt(peer, e));
            }
        });
    }

    private CompletableFuture<DeliveryStatus> account(String nickname, byte[] ciphertext, Outbound.Lane lane) {
        return requests.send(id -> new SendToAccount(id, nickname, ciphertext), Requests.REPORT, "private message",
                nickname, lane);
    }

    private static MessageRejectedException cannotEncrypt(String peer, Exception e) {
        return new MessageRejectedException(MessageRejectedException.Reason.END_TO_END_FAILURE, "cannot encrypt to "
                + peer + ": " + e.getMessage(), e);
    }
}
