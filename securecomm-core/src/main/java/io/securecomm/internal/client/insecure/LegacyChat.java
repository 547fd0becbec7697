package io.securecomm.internal.client.insecure;

import io.securecomm.client.ChatMessage;
import io.securecomm.client.DeliveryStatus;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.PeerIdentity;
import io.securecomm.client.UndecryptableMessageException;
import io.securecomm.e2e.SafetyNumber;
import io.securecomm.internal.client.ChatLayer;
import io.securecomm.internal.client.ClientEvent;
import io.securecomm.wire.Envelope;
import io.securecomm.wire.Message;
import io.securecomm.wire.PrivateMessage;
import io.securecomm.wire.PublicMessage;
import io.securecomm.wire.RoomEnvelope;
import io.securecomm.wire.SendPrivate;
import io.securecomm.wire.SendPublic;
import java.util.concurrent.CompletableFuture;

/**
 * INSECURE, for teaching: the chat of a client of the legacy suite, as the original toy had it. There is no
 * end-to-end layer: the client sends its chat in plaintext to the relay ({@code SendPublic}, {@code SendPrivate}),
 * and shows the plaintext the relay forwards ({@code PublicMessage}, {@code PrivateMessage}), which the relay could
 * have read and written. End-to-end envelopes from other clients cannot be read here, and are reported as such.
 *
 * <p>Only a client whose options ask for {@code insecureLegacyCrypto} gets it, from its pipeline builder.
 * Confined to its session's thread.
 */
public final class LegacyChat implements ChatLayer {
    /** Why a client of this suite has no identities to verify or trust. */
    public static final String NO_IDENTITIES = "this client uses the INSECURE legacy suite, which has no end-to-end"
            + " identities to verify or trust";

    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private final ChatLayer.Context context;

    /**
     * Creates the layer of one client.
     *
     * @param context what the client's session lends it
     */
    public LegacyChat(ChatLayer.Context context) {
        this.context = context;
    }

    /** The toy publishes no pre-keys. */
    @Override
    public CompletableFuture<Void> welcomed(String nickname) {
        return DONE;
    }

    @Override
    public void connected() {}

    @Override
    public CompletableFuture<DeliveryStatus> sendPublic(String text) {
        return context.requests().delivery(id -> new SendPublic(id, text), "public message", null);
    }

    @Override
    public CompletableFuture<DeliveryStatus> sendPrivate(OnlineClient to, String text) {
        return context.requests().delivery(id -> new SendPrivate(id, to.clientId(), text), "private message",
                to.nickname());
    }

    @Override
    public void receive(Message message) {
        switch (message.type()) {
            case PUBLIC_MESSAGE -> {
                PublicMessage m = (PublicMessage) message;
                show(context.message(context.roster().byId(m.senderId()), m.senderNickname(), m.text(), false));
            }
            case PRIVATE_MESSAGE -> {
                PrivateMessage m = (PrivateMessage) message;
                show(context.message(context.roster().byId(m.senderId()), m.senderNickname(), m.text(), true));
            }
            case ENVELOPE -> cannotRead(((Envelope) message).senderId(), true);
            case ROOM_ENVELOPE -> cannotRead(((RoomEnvelope) message).senderId(), false);
            default -> {
                // PRE_KEY_COUNT: this client published no pre-keys, so it has none to replenish.
            }
        }
    }

    /** The relay read this, and could have written it. */
    private void show(ChatMessage message) {
        context.tell(new ClientEvent.MessageReceived(message));
    }

    private void cannotRead(int senderId, boolean isPrivate) {
        String sender = context.roster().byId(senderId).map(OnlineClient::nickname).orElse("client " + senderId);
        context.tell(new ClientEvent.Undecryptable(new UndecryptableMessageException(sender, isPrivate,
                "it is end-to-end encrypted, and a client of the INSECURE legacy suite has no end-to-end keys",
                null)));
    }

    @Override
    public void memberJoined(OnlineClient member) {}

    @Override
    public void memberLeft(OnlineClient member) {}

    @Override
    public CompletableFuture<PeerIdentity> peerIdentity(String peer) {
        return CompletableFuture.failedFuture(new IllegalStateException(NO_IDENTITIES));
    }

    @Override
    public CompletableFuture<Void> markVerified(String peer) {
        return CompletableFuture.failedFuture(new IllegalStateException(NO_IDENTITIES));
    }

    @Override
    public CompletableFuture<Boolean> trustNewIdentity(String peer, SafetyNumber compared) {
        return CompletableFuture.failedFuture(new IllegalStateException(NO_IDENTITIES));
    }

    @Override
    public CompletableFuture<Boolean> rejectNewIdentity(String peer) {
        return CompletableFuture.failedFuture(new IllegalStateException(NO_IDENTITIES));
    }

    @Override
    public void close() {}
}
