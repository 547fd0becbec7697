package io.securecomm.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatMessage;
import io.securecomm.client.DeliveryStatus;
import io.securecomm.client.HandshakeFailedException;
import io.securecomm.client.MessageRejectedException;
import io.securecomm.client.NicknameRejectedException;
import io.securecomm.client.PeerIdentity;
import io.securecomm.client.UnknownRecipientException;
import io.securecomm.internal.client.ClientHarness.Client;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.store.InMemoryRelayStore;
import io.securecomm.relay.store.StoreLimits;
import io.securecomm.wire.AccountHello;
import io.securecomm.wire.AckStored;
import io.securecomm.wire.MalformedMessageException;
import io.securecomm.wire.Message;
import io.securecomm.wire.StoredEnvelope;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Offline delivery through the client's sessions and the relay's, in memory (#16): a message to an offline account is
 * stored and its sender told so; the recipient sees it on connecting, with its send time, in order, once, also when
 * the relay delivers it again because its acknowledgement was lost; a session starts with a peer who is offline, and
 * its identity can be compared before the two ever met.
 */
class ClientOfflineDeliveryTest {
    private final ClientHarness net = new ClientHarness();

    private static List<ChatMessage> messages(Client c) {
        return c.events(ClientEvent.MessageReceived.class).stream().map(ClientEvent.MessageReceived::message).toList();
    }

    private static List<String> texts(Client c) {
        return messages(c).stream().map(ChatMessage::text).toList();
    }

    private static Throwable failure(CompletableFuture<?> f) {
        assertTrue(f.isCompletedExceptionally(), () -> "expected a failure, got " + f);
        try {
            f.get();
            throw new AssertionError("no failure");
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void messagesToAnOfflinePeerAreStoredThenShownInOrderWithTheirSendTime() throws Exception {
        Client alice = net.connected("alice");
        Client bob = net.connected("bob");
        net.settle();
        bob.session.close();
        net.settle();
        Instant sent = net.clock.instant();
        List<CompletableFuture<DeliveryStatus>> sends = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            sends.add(alice.sendPrivate("Bob", "offline " + i));
        }
        net.settle();
        for (CompletableFuture<DeliveryStatus> f : sends) {
            assertEquals(DeliveryStatus.STORED, f.get());
        }
        net.advance(Duration.ofMinutes(10));
        Client bob2 = net.connected(net.client("bob", b -> b.protocolStore(bob.store())));
        net.settle();
        assertEquals(List.of("offline 1", "offline 2", "offline 3"), texts(bob2));
        for (ChatMessage m : messages(bob2)) {
            assertTrue(m.wasStored());
            assertTrue(m.isPrivate());
            assertEquals("alice", m.senderNickname());
            assertTrue(!m.sentAt().orElseThrow().isBefore(sent) && m.sentAt().get().isBefore(sent.plusSeconds(60)),
                    "sent at " + m.sentAt() + ", not when it arrived");
        }
        // Live again: bob is online and caught up.
        assertEquals(DeliveryStatus.DELIVERED, waitFor(alice.sendPrivate("bob", "live")));
        assertEquals("live", texts(bob2).get(3));
        assertTrue(messages(bob2).get(3).sentAt().isEmpty());
    }

    private DeliveryStatus waitFor(CompletableFuture<DeliveryStatus> f) throws Exception {
        net.settle();
        return f.get();
    }

    /** A client that connected, published its pre-keys, and went offline. */
    private Client wentOffline(String nickname) {
        Client c = net.connected(nickname);
        net.settle();
        c.session.close();
        net.settle();
        return c;
    }

    private CompletableFuture<PeerIdentity> peerIdentity(Client c, String peer) {
        CompletableFuture<PeerIdentity> f = c.call((s, result) -> s.commands().peerIdentity(peer, result));
        net.settle();
        return f;
    }

    @Test
    void aSessionStartsWithAPeerWhoIsOfflineFromItsStoredBundle() throws Exception {
        Client bob = wentOffline("bob");
        Client alice = net.connected("alice"); // never met bob
        assertEquals(DeliveryStatus.STORED, waitFor(alice.sendPrivate("bob", "we have not met")));
        Client bob2 = net.connected(net.client("bob", b -> b.protocolStore(bob.store())));
        net.settle();
        assertEquals(List.of("we have not met"), texts(bob2));
        // And bob answers through the session alice started.
        assertEquals(DeliveryStatus.DELIVERED, waitFor(bob2.sendPrivate("alice", "hello alice")));
        assertEquals(List.of("hello alice"), texts(alice));
    }

    @Test
    void anOfflineAccountHoldersIdentityCanBeComparedBeforeTheyMeet() throws Exception {
        Client bob = wentOffline("bob");
        Client alice = net.connected("alice"); // never met bob
        PeerIdentity bobSeenByAlice = peerIdentity(alice, "Bob").get();
        assertEquals("bob", bobSeenByAlice.peer());
        assertEquals(bob.store().identityKeyPair().publicKey().fingerprint(), bobSeenByAlice.fingerprint(),
                "the key bob's account is registered to");
        assertFalse(bobSeenByAlice.verified());
        // Bob, back online, computes the same number for alice.
        Client bob2 = net.connected(net.client("bob", b -> b.protocolStore(bob.store())));
        net.settle();
        assertEquals(bobSeenByAlice.safetyNumber(), peerIdentity(bob2, "alice").get().safetyNumber());
        assertInstanceOf(UnknownRecipientException.class, failure(peerIdentity(alice, "nobody")),
                "no client and no account of that name");
    }

    @Test
    void aStoredMessageDeliveredAgainAfterALostAcknowledgementIsShownOnce() throws Exception {
        Client alice = net.connected("alice");
        Client bob = net.connected("bob");
        net.settle();
        bob.session.close();
        net.settle();
        assertEquals(DeliveryStatus.STORED, waitFor(alice.sendPrivate("bob", "once")));
        // bob reads it, saves his state, and crashes before his acknowledgement reaches the relay.
        Client bob2 = net.client("bob", b -> b.protocolStore(bob.store()));
        List<Message> lost = new ArrayList<>();
        bob2.toRelay = m -> {
            if (m instanceof AckStored) {
                lost.add(m);
                return List.of();
            }
            return List.of(m);
        };
        net.connected(bob2);
        net.settle();
        net.advance(StoredAcks.ACK_DELAY);
        assertEquals(List.of("once"), texts(bob2));
        assertEquals(1, lost.size(), "bob acknowledged it");
        bob2.crash();
        Client bob3 = net.client("bob", b -> b.protocolStore(bob.store()));
        List<Message> redelivered = new ArrayList<>();
        bob3.fromRelay = m -> {
            if (m instanceof StoredEnvelope) {
                redelivered.add(m);
            }
            return List.of(m);
        };
        net.connected(bob3);
        net.settle();
        net.advance(StoredAcks.ACK_DELAY);
        assertEquals(1, redelivered.size(), "the relay delivered it again");
        assertTrue(texts(bob3).isEmpty(), "and bob showed it once: " + texts(bob3));
        assertTrue(bob3.events(ClientEvent.Undecryptable.class).isEmpty(), bob3.events::toString);
        // Acknowledged this time: never again.
        Client bob4 = net.client("bob", b -> b.protocolStore(bob.store()));
        bob3.crash();
        List<Message> again = new ArrayList<>();
        bob4.fromRelay = m -> {
            if (m instanceof StoredEnvelope) {
                again.add(m);
            }
            return List.of(m);
        };
        net.connected(bob4);
        net.settle();
        assertTrue(again.isEmpty(), again::toString);
    }

    @Test
    void aMessageToNoAccountFailsAndAFullQueueIsToldAtSendTime() throws Exception {
        ClientHarness small = new ClientHarness(RelayOptions.builder().store(new InMemoryRelayStore(
                Clock.systemUTC(), StoreLimits.defaults().withMaxQueuedMessagesPerRecipient(1))));
        Client alice = small.connected("alice");
        CompletableFuture<DeliveryStatus> nobody = alice.sendPrivate("nobody", "hello?");
        small.settle();
        assertInstanceOf(UnknownRecipientException.class, failure(nobody));
        Client bob = small.connected("bob");
        small.settle();
        bob.session.close();
        small.settle();
        CompletableFuture<DeliveryStatus> first = alice.sendPrivate("bob", "one");
        CompletableFuture<DeliveryStatus> second = alice.sendPrivate("bob", "two");
        small.settle();
        assertEquals(DeliveryStatus.STORED, first.get());
        MessageRejectedException full = assertInstanceOf(MessageRejectedException.class, failure(second));
        assertEquals(MessageRejectedException.Reason.RECIPIENT_QUEUE_FULL, full.reason());
    }

    @Test
    void aRelayOlderThanAccountsIsNamedAtConnectNotAHang() {
        Client alice = net.client("alice");
        alice.toRelay = m -> {
            if (m instanceof AccountHello) {
                // What a relay of before #16 does with type 0x10: its codec refuses it, it answers and closes.
                alice.conn.session.handleMalformed(new MalformedMessageException(
                        MalformedMessageException.Reason.UNKNOWN_TYPE, 0,
                        "type code 0x10 is not defined in protocol v1"));
                return List.of();
            }
            return List.of(m);
        };
        CompletableFuture<?> connecting = alice.connect();
        net.settle();
        HandshakeFailedException e = assertInstanceOf(
                HandshakeFailedException.class, failure(connecting));
        assertTrue(e.getMessage().contains("is older than this client") && e.getMessage().contains("upgrade"),
                e.getMessage());
    }

    @Test
    void anotherIdentityIsRefusedTheNicknameWithItsOwnReason() {
        net.connected("bob").session.close();
        net.settle();
        NicknameRejectedException e = assertInstanceOf(NicknameRejectedException.class,
                failure(net.client("BOB").connect()));
        assertEquals(NicknameRejectedException.Reason.REGISTERED, e.reason());
        assertTrue(e.getMessage().contains("registered"), e.getMessage());
    }
}
