package io.securecomm.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.HandshakeFailedException;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.RelayIdentityMismatchException;
import io.securecomm.client.RelayKeyDecision;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.client.RelayUnreachableException;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Message;
import io.securecomm.wire.SendPublic;
import io.securecomm.wire.Welcome;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Clients and relays that misbehave or fail, over real sockets on 127.0.0.1. */
@Timeout(60)
class RelayMisbehaviourTest {
    private RelayServer relay;

    @BeforeEach
    void startRelay() throws Exception {
        relay = RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                .handshakeTimeout(Duration.ofSeconds(2)).build()).start();
    }

    @AfterEach
    void stopRelay() {
        relay.close();
    }

    private ChatClientOptions.Builder options(String nickname) {
        return ChatClientOptions.builder("127.0.0.1", relay.localAddress().getPort()).nickname(nickname)
                .trustStore(RelayTrustStore.knownKey(relay.identityPublicKey()));
    }

    private static Throwable failure(CompletableFuture<?> f) {
        return assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS)).getCause();
    }

    @Test
    void garbageFirstTransportRecordGetsAnEncryptedErrorThenClose() throws Exception {
        try (HostileClient raw = new HostileClient(relay.localAddress()).handshake()) {
            raw.sendRecord(new byte[] {(byte) 0xEE, 1, 2, 3});
            Message reply = raw.receive();
            ErrorReply error = assertInstanceOf(ErrorReply.class, reply);
            assertEquals(ErrorCode.MALFORMED_MESSAGE, error.code());
            assertEquals(0, error.requestId());
            assertTrue(raw.awaitClosedByRelay());
        }
    }

    @Test
    void messageBeforeHelloIsAProtocolViolation() throws Exception {
        try (HostileClient raw = new HostileClient(relay.localAddress()).handshake()) {
            raw.send(new SendPublic(1, "hi"));
            assertEquals(ErrorCode.PROTOCOL_VIOLATION, ((ErrorReply) raw.receive()).code());
            assertTrue(raw.awaitClosedByRelay());
        }
    }

    @Test
    void garbageHandshakeIsDroppedWithoutHarmingOthers() throws Exception {
        RecordingListener la = new RecordingListener();
        try (ChatClient alice = ChatClient.create(options("alice").build(), la)) {
            alice.connect().get(10, TimeUnit.SECONDS);
            try (HostileClient raw = new HostileClient(relay.localAddress())) {
                raw.sendFrame(new byte[] {1, 2, 3});
                assertTrue(raw.awaitClosedByRelay());
            }
            alice.sendPublic("still here").get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void silentConnectionIsDroppedAtTheHandshakeTimeout() throws Exception {
        try (HostileClient raw = new HostileClient(relay.localAddress())) {
            assertTrue(raw.awaitClosedByRelay(), "the relay closes within its 2 s handshake timeout");
        }
    }

    @Test
    void clientThatVanishesWithoutByeIsCleanedUpAndAnnounced() throws Exception {
        RecordingListener la = new RecordingListener();
        try (ChatClient alice = ChatClient.create(options("alice").build(), la)) {
            alice.connect().get(10, TimeUnit.SECONDS);
            HostileClient raw = new HostileClient(relay.localAddress()).handshake();
            raw.send(new ClientHello("ghost", "raw/1"));
            assertInstanceOf(Welcome.class, raw.receive());
            assertEquals("ghost", ((OnlineClient) la.next("join").value()).nickname());
            raw.vanish();
            RecordingListener.Event leave = la.next("leave");
            assertEquals("ghost", ((OnlineClient) leave.value()).nickname());
            assertEquals("disconnected", leave.detail());
            assertEquals(1, alice.list().get(10, TimeUnit.SECONDS).size());
            assertEquals(1, relay.onlineClients());
        }
    }

    @Test
    void unreachableRelayFailsConnect() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (ChatClient c = ChatClient.create(ChatClientOptions.builder("127.0.0.1", closedPort).nickname("a")
                .trustStore(RelayTrustStore.trustOnFirstUseInMemory()).build(),
                new RecordingListener())) {
            CompletableFuture<?> connecting = c.connect();
            assertInstanceOf(RelayUnreachableException.class, failure(connecting));
            // whenComplete and exceptionally see the specific exception itself, not a wrapper.
            Throwable seen = connecting.handle((v, e) -> e).get(10, TimeUnit.SECONDS);
            assertInstanceOf(RelayUnreachableException.class, seen);
            assertTrue(!c.isConnected());
        }
    }

    @Test
    void peerThatIsNoRelayFailsTheHandshake() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> garbage = CompletableFuture.runAsync(() -> {
                try (var s = silent.accept()) {
                    s.getOutputStream().write(new byte[] {0, 3, 1, 2, 3});
                    s.getInputStream().read();
                } catch (IOException ignored) {
                    // the client hung up: expected
                }
            });
            try (ChatClient c = ChatClient.create(ChatClientOptions.builder("127.0.0.1", silent.getLocalPort())
                    .nickname("a").trustStore(RelayTrustStore.trustOnFirstUseInMemory()).build(),
                    new RecordingListener())) {
                assertInstanceOf(HandshakeFailedException.class, failure(c.connect()));
            }
            garbage.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void relayKeyPinningFirstUseMatchMismatch() throws Exception {
        RelayTrustStore pins = RelayTrustStore.trustOnFirstUseInMemory();
        try (ChatClient first = ChatClient.create(options("alice").trustStore(pins).build(), new RecordingListener())) {
            assertEquals(RelayKeyDecision.PINNED_ON_FIRST_USE, first.connect().get(10, TimeUnit.SECONDS).trust());
        }
        // Another identity, so another nickname: "alice" is registered to the first one's key (#16).
        try (ChatClient again = ChatClient.create(options("alice2").trustStore(pins).build(),
                new RecordingListener())) {
            assertEquals(RelayKeyDecision.MATCHES_PIN, again.connect().get(10, TimeUnit.SECONDS).trust());
        }
        int port = relay.localAddress().getPort();
        relay.close();
        // A different relay (a new identity key) on the same address.
        relay = RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(port).build()).start();
        try (ChatClient third = ChatClient.create(options("alice").trustStore(pins).build(), new RecordingListener())) {
            RelayIdentityMismatchException e =
                    assertInstanceOf(RelayIdentityMismatchException.class, failure(third.connect()));
            assertEquals("127.0.0.1:" + port, e.relay());
            assertEquals(0, relay.onlineClients(), "the client never said hello");
        }
    }
}
