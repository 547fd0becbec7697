package io.securecomm.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.HandshakeFailedException;
import io.securecomm.client.InsecureSuiteRefusedException;
import io.securecomm.client.MessageRejectedException;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.RelayKeyDecision;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.client.Session;
import io.securecomm.client.UndecryptableMessageException;
import io.securecomm.crypto.insecure.LegacyHello;
import io.securecomm.crypto.insecure.LegacySuite;
import io.securecomm.internal.noise.CipherOffer;
import io.securecomm.internal.noise.HopCipher;
import io.securecomm.wire.FrameEncoder;
import java.io.DataInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The INSECURE legacy suite is reachable only on explicit request, and announced when used. */
@Timeout(60)
class LegacySuiteRelayTest {
    private final List<AutoCloseable> open = new ArrayList<>();
    private final LinkedBlockingQueue<String> suites = new LinkedBlockingQueue<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = open.size() - 1; i >= 0; i--) {
            open.get(i).close();
        }
    }

    private int relay(InsecureLegacyMode mode) throws Exception {
        RelayServer relay = RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                .insecureLegacyCrypto(mode).listener(new RelayListener() {
                    @Override
                    public void onSuiteSelected(SocketAddress remote, CipherSuite suite) {
                        suites.add((suite.isInsecure() ? "INSECURE " : "") + suite.suiteName());
                    }
                }).build()).start();
        open.add(relay);
        return relay.localAddress().getPort();
    }

    private ChatClient client(int port, String nickname, boolean legacy, RecordingListener listener) {
        ChatClient c = ChatClient.create(ChatClientOptions.builder("127.0.0.1", port).nickname(nickname)
                .trustStore(RelayTrustStore.trustOnFirstUseInMemory()).insecureLegacyCrypto(legacy).build(), listener);
        open.add(c);
        return c;
    }

    private static Throwable failure(CompletableFuture<?> f) {
        return assertThrows(ExecutionException.class, () -> f.get(15, TimeUnit.SECONDS)).getCause();
    }

    @Test
    void theDefaultsNeverSelectTheLegacySuite() {
        assertEquals(InsecureLegacyMode.OFF, RelayOptions.defaults().insecureLegacyCrypto());
        assertFalse(ChatClientOptions.builder("127.0.0.1", 1).nickname("a")
                .trustStore(RelayTrustStore.trustOnFirstUseInMemory()).build().insecureLegacyCrypto());
    }

    @Test
    void aDefaultRelayClosesOnALegacyHelloWithoutAnswering() throws Exception {
        int port = relay(InsecureLegacyMode.OFF);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(FrameEncoder.encode(LegacyHello.clientHello(12345).encode()));
            assertEquals(-1, s.getInputStream().read(), "no relay hello, no byte at all: the connection is closed");
        }
        assertTrue(suites.isEmpty(), "a default relay has no suite selection to announce");
    }

    @Test
    void aDefaultClientNeverSendsALegacyHello() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(15_000);
            ChatClient c = client(server.getLocalPort(), "alice", false, new RecordingListener());
            CompletableFuture<Session> connecting = c.connect();
            try (Socket s = server.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                byte[] first = new byte[in.readUnsignedShort()];
                in.readFully(first);
                assertEquals(32 + CipherOffer.encode(HopCipher.configured().offer(HopCipher.aesInstructions())).length,
                        first.length, "Noise XX message 1: one X25519 key, then the cipher offer if any");
                assertFalse(LegacySuite.isLegacyFrame(first));
            }
            assertInstanceOf(HandshakeFailedException.class, failure(connecting));
        }
    }

    @Test
    void legacyAndNoiseClientsShareARelayThatAlsoSpeaksLegacyAndEachSuiteIsAnnounced() throws Exception {
        int port = relay(InsecureLegacyMode.ALSO);
        RecordingListener bobEvents = new RecordingListener();
        RecordingListener carolEvents = new RecordingListener();
        ChatClient aliceClient = client(port, "alice", true, new RecordingListener());
        Session alice = aliceClient.connect().get(15, TimeUnit.SECONDS);
        assertEquals(RelayKeyDecision.NOT_AUTHENTICATED_INSECURE_LEGACY, alice.trust());
        assertEquals(0, alice.relayIdentityKey().length, "the legacy relay presents no identity");
        assertEquals("INSECURE " + LegacySuite.NAME, suites.poll(15, TimeUnit.SECONDS));
        ChatClient bob = client(port, "bob", false, bobEvents);
        assertEquals(RelayKeyDecision.PINNED_ON_FIRST_USE, bob.connect().get(15, TimeUnit.SECONDS).trust());
        assertEquals(LegacySuite.DEFAULT_SUITE_NAME, suites.poll(15, TimeUnit.SECONDS));
        ChatClient carol = client(port, "carol", true, carolEvents);
        carol.connect().get(15, TimeUnit.SECONDS);
        // bob's public message goes to the members bob knows of: wait until he has seen carol arrive.
        assertEquals("carol", ((OnlineClient) bobEvents.next("join").value()).nickname());

        // Legacy clients talk as the original toy did: plaintext through the relay, both ways.
        aliceClient.sendPublic("hello from the legacy side").get(15, TimeUnit.SECONDS);
        aliceClient.sendPrivate("carol", "psst").get(15, TimeUnit.SECONDS);
        assertEquals(new ChatMessage(alice.clientId(), "alice", "hello from the legacy side", false),
                carolEvents.nextMessage());
        assertEquals(new ChatMessage(alice.clientId(), "alice", "psst", true), carolEvents.nextMessage());

        // The default client never shows plaintext the relay hands it: the relay could have written it.
        // bob also learns, once, that carol cannot get his room key (in whichever order the two come).
        UndecryptableMessageException refused = null;
        MessageRejectedException noKeys = null;
        while (refused == null || noKeys == null) {
            RecordingListener.Event e = bobEvents.next();
            assertFalse(e.value() instanceof ChatMessage, "the default client showed plaintext: " + e);
            if (e.value() instanceof UndecryptableMessageException u) {
                refused = u;
            } else if (e.value() instanceof MessageRejectedException m) {
                noKeys = m;
            }
        }
        assertEquals("alice", refused.sender());
        assertTrue(refused.getMessage().contains("unencrypted"), refused.getMessage());
        // Its own public messages are end-to-end encrypted: a legacy client publishes no pre-keys, so it cannot get
        // bob's room key; bob is told once, and leaves it out of the room's messages instead of waiting for it. bob's
        // listener does not override onRoomKeyNotDelivered: the default hands the report to onError, as before.
        assertEquals(MessageRejectedException.Reason.NO_PRE_KEYS, noKeys.reason());
        assertTrue(noKeys.getMessage().contains("did not reach carol"), noKeys.getMessage());
        bob.sendPublic("hello from the end-to-end side").get(15, TimeUnit.SECONDS);
        assertThrows(IllegalStateException.class, () -> carol.peerIdentity("bob"));
    }

    @Test
    void aDefaultClientRefusesALegacyOnlyRelayWithASpecificException() throws Exception {
        int port = relay(InsecureLegacyMode.ONLY);
        Throwable t = failure(client(port, "alice", false, new RecordingListener()).connect());
        InsecureSuiteRefusedException e = assertInstanceOf(InsecureSuiteRefusedException.class, t);
        assertTrue(e.getMessage().contains("offers only the INSECURE legacy suite"), e.getMessage());
        assertEquals("127.0.0.1:" + port, e.relay());
        // The legacy client is still served there.
        assertEquals(RelayKeyDecision.NOT_AUTHENTICATED_INSECURE_LEGACY,
                client(port, "bob", true, new RecordingListener()).connect().get(15, TimeUnit.SECONDS).trust());
    }

    @Test
    void aLegacyClientIsToldThatADefaultRelayRefusedIt() throws Exception {
        int port = relay(InsecureLegacyMode.OFF);
        Throwable t = failure(client(port, "alice", true, new RecordingListener()).connect());
        HandshakeFailedException e = assertInstanceOf(HandshakeFailedException.class, t);
        assertTrue(e.getMessage().contains("does not accept the legacy suite"), e.getMessage());
    }

    @Test
    void aLegacyOnlyRelaySendsItsOfferToANoiseClient() throws Exception {
        int port = relay(InsecureLegacyMode.ONLY);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(FrameEncoder.encode(new byte[32]));
            InputStream in = s.getInputStream();
            DataInputStream data = new DataInputStream(in);
            byte[] frame = new byte[data.readUnsignedShort()];
            data.readFully(frame);
            assertEquals(LegacyHello.legacyOnlyOffer(), LegacyHello.decode(frame));
            assertEquals(-1, in.read());
        }
    }
}
