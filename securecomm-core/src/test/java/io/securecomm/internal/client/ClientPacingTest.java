package io.securecomm.internal.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatMessage;
import io.securecomm.client.DeliveryStatus;
import io.securecomm.client.MessageRejectedException;
import io.securecomm.internal.client.ClientHarness.Client;
import io.securecomm.relay.RateLimit;
import io.securecomm.relay.RelayOptions;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.SendToAccount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/**
 * Issue 21, point 1, in the session: the client learns the relay's limit from its welcome and paces itself to it;
 * a request's timeout starts when it leaves, not while it waits for the pace; and a request the relay drops as
 * {@code RATE_LIMITED} is sent again after a back-off instead of failing at once.
 */
class ClientPacingTest {
    private static List<String> texts(Client c) {
        return c.events(ClientEvent.MessageReceived.class).stream().map(ClientEvent.MessageReceived::message)
                .map(ChatMessage::text).toList();
    }

    @Test
    void aDefaultClientPacesItselfToTheRateTheRelayAnnouncesAndNoRequestTimesOutWaitingForIt() throws Exception {
        ClientHarness net = new ClientHarness(RelayOptions.builder()
                .rateLimit(new RateLimit(2, 4, 100, Duration.ofSeconds(10))));
        Client alice = net.connectedPaced(net.client("alice", b -> b.requestTimeout(Duration.ofSeconds(2))));
        Client bob = net.connectedPaced(net.client("bob"));
        net.settle();
        List<CompletableFuture<DeliveryStatus>> sends = new ArrayList<>();
        int before = alice.sent.size();
        for (int i = 0; i < 20; i++) {
            sends.add(alice.sendPrivate("bob", "m" + i));
        }
        assertTrue(alice.sent.size() - before <= 2, "at most half the relay's burst leaves at once, not the"
                + " options' 20: " + (alice.sent.size() - before));
        net.settle();
        for (CompletableFuture<DeliveryStatus> f : sends) {
            assertEquals(DeliveryStatus.DELIVERED, f.get(), "ten seconds of backlog at 2/s, yet no 2 s timeout");
        }
        List<String> want = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            want.add("m" + i);
        }
        assertEquals(want, texts(bob));
    }

    @Test
    void aRequestTheRelayDropsAsRateLimitedIsSentAgainAfterABackOff() throws Exception {
        ClientHarness net = new ClientHarness();
        Client alice = net.connected("alice");
        Client bob = net.connected("bob");
        net.settle();
        alice.sendPrivate("bob", "hello").get(); // a session exists
        List<Long> dropped = new ArrayList<>();
        alice.toRelay = m -> {
            if (m instanceof SendToAccount s && dropped.size() < 2) {
                dropped.add(s.requestId());
                return List.of();
            }
            return List.of(m);
        };
        CompletableFuture<DeliveryStatus> f = alice.sendPrivate("bob", "again");
        refuse(net, alice, dropped.get(0));
        assertFalse(f.isDone(), "not failed: it backs off");
        net.advance(Duration.ofMillis(999));
        assertEquals(1, dropped.size(), "nothing before the back-off ends");
        net.advance(Duration.ofMillis(1));
        assertEquals(2, dropped.size(), "sent again after 1 s, with the same id");
        assertEquals(dropped.get(0), dropped.get(1));
        refuse(net, alice, dropped.get(1));
        net.advance(Duration.ofSeconds(2)); // doubled
        assertEquals(DeliveryStatus.DELIVERED, f.get());
        assertEquals(List.of("hello", "again"), texts(bob), "delivered once");
    }

    @Test
    void aRequestStillDroppedAfterItsRetriesFailsWithTheReason() throws Exception {
        ClientHarness net = new ClientHarness();
        Client alice = net.connected("alice");
        net.connected("bob");
        net.settle();
        alice.sendPrivate("bob", "hello").get();
        List<Long> dropped = new ArrayList<>();
        alice.toRelay = m -> {
            if (m instanceof SendToAccount s) {
                dropped.add(s.requestId());
                return List.of();
            }
            return List.of(m);
        };
        CompletableFuture<DeliveryStatus> f = alice.sendPrivate("bob", "never");
        for (int attempt = 0; attempt <= Requests.MAX_RETRIES; attempt++) {
            assertEquals(attempt + 1, dropped.size());
            refuse(net, alice, dropped.get(attempt));
            net.advance(Requests.RETRY_BACKOFF.multipliedBy(1L << attempt));
        }
        MessageRejectedException e = assertInstanceOf(MessageRejectedException.class,
                assertThrows(ExecutionException.class, f::get).getCause());
        assertEquals(MessageRejectedException.Reason.RATE_LIMITED, e.reason());
        assertEquals(Requests.MAX_RETRIES + 1, dropped.size());
        assertTrue(alice.session.isConnected(), "backing off kept the client from being cut off");
    }

    private static void refuse(ClientHarness net, Client c, long requestId) {
        c.session.handleMessage(new ErrorReply(requestId, ErrorCode.RATE_LIMITED, "too many"));
        net.pump();
    }
}
