package io.securecomm.internal.client.insecure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatMessage;
import io.securecomm.client.MessageRejectedException;
import io.securecomm.client.PeerIdentity;
import io.securecomm.client.RelayKeyDecision;
import io.securecomm.client.Session;
import io.securecomm.client.UndecryptableMessageException;
import io.securecomm.internal.client.ClientEvent;
import io.securecomm.internal.client.ClientHarness;
import io.securecomm.internal.client.ClientHarness.Client;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * The INSECURE legacy suite's client variant, pumped against the relay's sessions: plaintext chat as the original toy
 * had it, next to end-to-end clients it cannot read.
 */
class LegacyChatTest {
    private final ClientHarness net = new ClientHarness();

    private Client legacy(String nickname) {
        return net.connected(net.client(nickname, b -> b.insecureLegacyCrypto(true)));
    }

    private static List<ChatMessage> messages(Client c) {
        return c.events(ClientEvent.MessageReceived.class).stream().map(ClientEvent.MessageReceived::message).toList();
    }

    @Test
    void legacyClientsTalkInPlaintextThroughTheRelay() throws Exception {
        Client alice = legacy("alice");
        Client bob = legacy("bob");
        alice.sendPublic("hello all").get();
        alice.sendPrivate("bob", "psst").get();
        assertEquals(List.of(new ChatMessage(1, "alice", "hello all", false),
                new ChatMessage(1, "alice", "psst", true)), messages(bob));
        assertEquals(List.of(MessageType.CLIENT_HELLO, MessageType.LIST_REQUEST, MessageType.SEND_PUBLIC,
                MessageType.SEND_PRIVATE), alice.sent.stream().map(Message::type).toList(),
                "no pre-keys, no envelopes");
    }

    @Test
    void aLegacyClientIsNotAuthenticatedAndHasNoIdentitiesToTrust() throws Exception {
        Client alice = net.client("alice", b -> b.insecureLegacyCrypto(true));
        Session session = alice.connect().get();
        assertEquals(RelayKeyDecision.NOT_AUTHENTICATED_INSECURE_LEGACY, session.trust());
        assertEquals(0, session.relayIdentityKey().length);
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> alice.<PeerIdentity>call((s, f) -> s.commands().peerIdentity("bob", f)).get());
        assertEquals(LegacyChat.NO_IDENTITIES,
                assertInstanceOf(IllegalStateException.class, e.getCause()).getMessage());
    }

    @Test
    void endToEndChatIsReportedUnreadableAndPlaintextIsNeverShownToAnEndToEndClient() throws Exception {
        Client alice = legacy("alice");
        Client bob = net.client("bob");
        // bob's room key to alice is still on its way (the relay's answer, NO_PRE_KEYS, comes later), so his room
        // message goes to her: she holds no end-to-end keys and reports it unreadable.
        List<Message> later = new ArrayList<>();
        bob.fromRelay = m -> {
            if (m.type() == MessageType.ERROR_REPLY && later.isEmpty()) {
                later.add(m);
                return List.of();
            }
            return List.of(m);
        };
        net.connected(bob);
        bob.sendPublic("sealed").get();
        bob.fromRelay = List::of;
        later.forEach(bob.session::handleMessage);
        net.pump();
        List<ClientEvent.RoomKeyNotDelivered> reported = bob.events(ClientEvent.RoomKeyNotDelivered.class);
        assertEquals(1, reported.size(), bob.events::toString);
        assertEquals("alice", reported.get(0).member().nickname());
        assertEquals(MessageRejectedException.Reason.NO_PRE_KEYS, reported.get(0).cause().reason());
        assertEquals(List.of(), bob.events(ClientEvent.Error.class), "told as the typed event, not as an error");
        ExecutionException noKeys = assertThrows(ExecutionException.class, () -> bob.sendPrivate("alice", "x").get());
        assertTrue(noKeys.getCause().getMessage().contains("NO_PRE_KEYS"), noKeys.getCause().getMessage());
        List<ClientEvent.Undecryptable> unreadable = alice.events(ClientEvent.Undecryptable.class);
        assertTrue(unreadable.size() >= 1, alice.events::toString);
        UndecryptableMessageException first = unreadable.get(0).error();
        assertEquals("bob", first.sender());
        assertTrue(first.getMessage().contains("legacy suite has no end-to-end keys"), first.getMessage());
        assertTrue(messages(alice).isEmpty());

        alice.sendPublic("in the clear").get();
        UndecryptableMessageException refused = bob.events(ClientEvent.Undecryptable.class).get(0).error();
        assertEquals("alice", refused.sender());
        assertTrue(refused.getMessage().contains("unencrypted"), refused.getMessage());
        assertTrue(messages(bob).isEmpty(), "the default client never shows plaintext the relay hands it");
    }
}
