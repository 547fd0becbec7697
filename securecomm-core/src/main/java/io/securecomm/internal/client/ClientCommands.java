package io.securecomm.internal.client;

import io.securecomm.client.ClientPage;
import io.securecomm.client.DeliveryStatus;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.PeerIdentity;
import io.securecomm.client.UnknownRecipientException;
import io.securecomm.e2e.SafetyNumber;
import io.securecomm.wire.Nickname;
import io.securecomm.wire.ReleaseAccount;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The application's commands to a connected client, part of its {@link ClientSession} ({@link
 * ClientSession#commands()}): each takes the future the application holds, fails it with why not unless the client
 * is connected, and otherwise hands it the outcome of the work, in the session's order, through the session's
 * {@code poll()}. The arguments were checked by the caller ({@link ClientChecks}).
 *
 * <p>Sends go to the chat layer, resolving the recipient in the one roster first; lists go to the relay; identity
 * commands go to the chat layer under the peer's canonical nickname.
 *
 * <p>Not thread-safe: confined to the client's thread, like the session.
 */
public final class ClientCommands {
    /** Whether commands may run now; if not, it fails the future with why. */
    @FunctionalInterface
    interface Gate {
        boolean open(CompletableFuture<?> result);
    }

    private final Gate gate;
    private final ActionQueue actions;
    private final Roster roster;
    private final Directory directory;
    private final Requests requests;
    private final ChatLayer chat;

    ClientCommands(Gate gate, ActionQueue actions, Roster roster, Directory directory, Requests requests,
            ChatLayer chat) {
        this.gate = gate;
        this.actions = actions;
        this.roster = roster;
        this.directory = directory;
        this.requests = requests;
        this.chat = chat;
    }

    /**
     * Sends a public message to the room.
     *
     * @param text the text, checked by the caller ({@link ClientChecks#checkText})
     * @param result completed once the relay delivered it
     */
    public void sendPublic(String text, CompletableFuture<DeliveryStatus> result) {
        if (gate.open(result)) {
            actions.answer(result, () -> chat.sendPublic(text));
        }
    }

    /**
     * Sends a private message to the member with this id.
     *
     * @param clientId the member's id
     * @param text the text, checked by the caller
     * @param result completed once the relay delivered it; fails with {@code UnknownRecipientException} if no such
     *     member is in the roster
     */
    public void sendPrivate(int clientId, String text, CompletableFuture<DeliveryStatus> result) {
        if (gate.open(result)) {
            sendPrivate(roster.byId(clientId), Integer.toString(clientId), text, result, false);
        }
    }

    /**
     * Sends a private message to the member with this nickname (in any letter case).
     *
     * @param nickname the member's nickname
     * @param text the text, checked by the caller
     * @param result completed once the relay delivered it
     */
    public void sendPrivate(String nickname, String text, CompletableFuture<DeliveryStatus> result) {
        if (gate.open(result)) {
            sendPrivate(roster.byName(nickname), nickname, text, result, true);
        }
    }

    private void sendPrivate(Optional<OnlineClient> to, String named, String text,
            CompletableFuture<DeliveryStatus> result, boolean byName) {
        if (to.isEmpty() && byName) {
            // Not online: an account's holder gets it when it returns (or the relay says there is no such account).
            actions.answer(result, () -> chat.sendToAccount(named, text));
        } else if (to.isEmpty()) {
            actions.fail(result, new UnknownRecipientException(named));
        } else {
            actions.answer(result, () -> chat.sendPrivate(to.get(), text));
        }
    }

    /**
     * Asks the relay for the public room's members; the roster learns the answer too.
     *
     * @param result completed with the members in ascending id order (none if this client is outside the room)
     */
    public void list(CompletableFuture<List<OnlineClient>> result) {
        if (gate.open(result)) {
            actions.answer(result, directory::list);
        }
    }

    /**
     * Asks the relay for one page of everyone online. The roster does not learn from it: the roster is the room,
     * and a page lists clients outside the room too.
     *
     * @param after the cursor: list canonical nicknames after this one; empty for the first page
     * @param maxEntries 1 to {@code Limits.LIST_PAGE_MAX_ENTRIES}
     * @param result completed with the page
     */
    public void listPage(String after, int maxEntries, CompletableFuture<ClientPage> result) {
        if (gate.open(result)) {
            actions.answer(result, () -> directory.page(after, maxEntries));
        }
    }

    /**
     * Describes a peer's identity.
     *
     * @param peer the peer's nickname, in any letter case
     * @param result completed with the identity
     */
    public void peerIdentity(String peer, CompletableFuture<PeerIdentity> result) {
        if (gate.open(result)) {
            actions.answer(result, () -> chat.peerIdentity(Nickname.canonical(peer)));
        }
    }

    /**
     * Releases this client's account at the relay.
     *
     * @param result completed once the relay released it
     */
    public void releaseAccount(CompletableFuture<Void> result) {
        if (gate.open(result)) {
            actions.answer(result, () -> requests.delivery(ReleaseAccount::new, "account release", null)
                    .thenApply(status -> (Void) null));
        }
    }

    /**
     * Records that the user verified a peer.
     *
     * @param peer the peer's nickname
     * @param result completed once recorded
     */
    public void markVerified(String peer, CompletableFuture<Void> result) {
        if (gate.open(result)) {
            actions.answer(result, () -> chat.markVerified(Nickname.canonical(peer)));
        }
    }

    /**
     * Accepts a peer's pending identity if its safety number is the one compared.
     *
     * @param peer the peer's nickname
     * @param compared the safety number the user compared
     * @param result completed with whether a change was pending and is accepted
     */
    public void trustNewIdentity(String peer, SafetyNumber compared, CompletableFuture<Boolean> result) {
        if (gate.open(result)) {
            actions.answer(result, () -> chat.trustNewIdentity(Nickname.canonical(peer), compared));
        }
    }

    /**
     * Rejects a peer's pending identity.
     *
     * @param peer the peer's nickname
     * @param result completed with whether a change was pending
     */
    public void rejectNewIdentity(String peer, CompletableFuture<Boolean> result) {
        if (gate.open(result)) {
            actions.answer(result, () -> chat.rejectNewIdentity(Nickname.canonical(peer)));
        }
    }
}
