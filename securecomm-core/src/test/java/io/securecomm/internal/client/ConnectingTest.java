package io.securecomm.internal.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.RelayKeyDecision;
import io.securecomm.client.Session;
import io.securecomm.wire.Message;
import io.securecomm.wire.Ping;
import io.securecomm.wire.Welcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** One attempt to connect: its deadline, the first handshake and welcome only, and the chat held for the list. */
class ConnectingTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private final Connecting attempt = new Connecting(new CompletableFuture<>());

    @Test
    void theDeadlineRunsFromTheTransportUntilConnected() {
        assertTrue(attempt.deadline().isEmpty());
        assertFalse(attempt.expired(T0.plusSeconds(3600)), "no deadline before the transport is up");
        attempt.transportUp(T0.plusSeconds(10));
        assertFalse(attempt.expired(T0.plusSeconds(10).minusNanos(1)));
        assertTrue(attempt.expired(T0.plusSeconds(10)));
        byte[] key = {1, 2, 3};
        assertTrue(attempt.established(key, RelayKeyDecision.PINNED_ON_FIRST_USE));
        key[0] = 9;
        assertFalse(attempt.established(new byte[] {7}, RelayKeyDecision.PINNED_ON_FIRST_USE), "once");
        assertTrue(attempt.welcomed(welcome(5)));
        assertFalse(attempt.welcomed(welcome(6)), "a second welcome is ignored");
        Session session = attempt.connected();
        assertEquals(5, session.clientId());
        assertArrayEquals(new byte[] {1, 2, 3}, session.relayIdentityKey(), "the key as the handshake ended");
        assertTrue(attempt.deadline().isEmpty(), "connected: no deadline");
    }

    @Test
    void chatBeforeTheFirstListIsHeldInOrderUpToTheLimit() {
        for (int i = 0; i < Connecting.MAX_EARLY_MESSAGES + 3; i++) {
            attempt.hold(new Ping(i));
        }
        List<Message> held = attempt.takeHeld();
        assertEquals(Connecting.MAX_EARLY_MESSAGES, held.size(), "the rest is dropped");
        List<Long> nonces = new ArrayList<>();
        held.forEach(m -> nonces.add(((Ping) m).nonce()));
        assertEquals(0L, nonces.get(0));
        assertEquals(Connecting.MAX_EARLY_MESSAGES - 1L, nonces.get(nonces.size() - 1));
        assertTrue(attempt.takeHeld().isEmpty(), "taken once");
        attempt.hold(new Ping(1));
        attempt.transportUp(T0);
        attempt.end();
        assertTrue(attempt.takeHeld().isEmpty() && attempt.deadline().isEmpty(), "the end forgets both");
    }

    private static Welcome welcome(int id) {
        return new Welcome(id, "alice", "relay", 10, 20);
    }
}
