package io.securecomm.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.MessageRejectedException;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.PreKeys;
import io.securecomm.internal.netty.NettyRelayServer;
import io.securecomm.wire.Bye;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.FrameEncoder;
import io.securecomm.wire.ListRequest;
import io.securecomm.wire.Message;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendPublic;
import io.securecomm.wire.UploadPreKeys;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Adversarial integration tests of the relay on 127.0.0.1 (docs/SECURITY.md, "Adversarial tests"). Each attack
 * comes from 127.0.0.2 while two well-behaved clients, alice and bob, are connected from 127.0.0.1; every test
 * ends by checking that they still exchange public and private messages normally.
 */
@Timeout(60)
class RelayHardeningTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private RelayServer relay;
    private final List<ChatClient> clients = new ArrayList<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private ChatClient alice;
    private ChatClient bob;
    private int bobId;
    private RecordingListener aliceEvents;
    private RecordingListener bobEvents;
    private int round;

    /** Starts a relay with short timeouts (tweaked per test), and connects alice and bob. */
    private void start(UnaryOperator<RelayOptions.Builder> tweak) throws Exception {
        RelayOptions.Builder b = RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                // Short enough to keep the tests quick, long enough for a handshake on a busy CI machine.
                .handshakeTimeout(Duration.ofSeconds(2)).shutdownTimeout(Duration.ofSeconds(2));
        relay = RelayServer.create(tweak.apply(b).build()).start();
        aliceEvents = new RecordingListener();
        bobEvents = new RecordingListener();
        alice = client("alice", aliceEvents);
        bob = client("bob", bobEvents);
        await(alice.connect());
        bobId = await(bob.connect()).clientId();
        // A public message goes to the members its sender knows of: alice must have seen bob arrive.
        assertEquals("bob", ((OnlineClient) aliceEvents.next("join").value()).nickname());
        assertChatWorks();
    }

    private ChatClient client(String nickname, RecordingListener listener) {
        // Several tests raise the relay's rate limit to push traffic through; the clients' pace matches it.
        ChatClient c = ChatClient.create(ChatClientOptions.builder("127.0.0.1", relay.localAddress().getPort())
                .nickname(nickname).trustStore(RelayTrustStore.knownKey(relay.identityPublicKey()))
                .pacing(10_000, 10_000).build(), listener);
        clients.add(c);
        return c;
    }

    @AfterEach
    void stop() {
        timer.shutdownNow();
        clients.forEach(ChatClient::close);
        if (relay != null) {
            relay.close();
        }
    }

    private InetSocketAddress address() {
        return relay.localAddress();
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Alice and bob exchange a public and a private message, both ways, and each arrives. */
    private void assertChatWorks() throws Exception {
        round++;
        await(alice.sendPublic("public " + round));
        await(bob.sendPublic("reply " + round));
        await(alice.sendPrivate("bob", "private " + round));
        await(bob.sendPrivate("alice", "private reply " + round));
        assertEquals("public " + round, nextFrom(bobEvents, "alice").text());
        assertEquals("private " + round, nextFrom(bobEvents, "alice").text());
        assertEquals("reply " + round, nextFrom(aliceEvents, "bob").text());
        assertEquals("private reply " + round, nextFrom(aliceEvents, "bob").text());
    }

    /** The next message from one sender, skipping other events (an attacker's messages among them). */
    private static ChatMessage nextFrom(RecordingListener events, String sender) throws InterruptedException {
        while (true) {
            ChatMessage m = events.nextMessage();
            if (m.senderNickname().equals(sender)) {
                return m;
            }
        }
    }

    /** Waits, without sleeping, until a condition holds: checked every 20 ms by a timer, up to {@link #WAIT}. */
    private void awaitCondition(String what, BooleanSupplier condition) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        ScheduledFuture<?> check = timer.scheduleAtFixedRate(() -> {
            if (condition.getAsBoolean()) {
                done.complete(null);
            }
        }, 0, 20, TimeUnit.MILLISECONDS);
        try {
            done.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            fail("not within " + WAIT + ": " + what);
        } finally {
            check.cancel(false);
        }
    }

    private int openConnections() {
        return ((NettyRelayServer) relay).openConnections();
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    void randomGarbageInsteadOfAHandshakeIsDropped() throws Exception {
        start(b -> b);
        Random random = new Random(8);
        List<HostileClient> attackers = new ArrayList<>();
        try {
            // All at once: a garbage prefix that announces more bytes than follow waits for the handshake timeout.
            for (int i = 0; i < 20; i++) {
                byte[] junk = new byte[1 + random.nextInt(4096)];
                random.nextBytes(junk);
                HostileClient h = new HostileClient(address());
                attackers.add(h);
                try {
                    h.write(junk);
                } catch (IOException closedWhileWriting) {
                    // the relay may close before all of it is written: that is the point
                }
            }
            assertChatWorks();
            for (int i = 0; i < attackers.size(); i++) {
                assertTrue(attackers.get(i).awaitClosedByRelay(), "garbage connection " + i + " stayed open");
            }
        } finally {
            for (HostileClient h : attackers) {
                h.close();
            }
        }
        assertChatWorks();
    }

    @Test
    void truncatedHandshakesAreDroppedAtTheHandshakeTimeout() throws Exception {
        start(b -> b);
        try (HostileClient first = new HostileClient(address())) {
            byte[] frame = FrameEncoder.encode(first.firstHandshakeMessage());
            first.write(Arrays.copyOf(frame, frame.length - 7));
            assertTrue(first.awaitClosedByRelay(), "a truncated first message kept the connection open");
        }
        try (HostileClient third = new HostileClient(address())) {
            third.sendFrame(third.firstHandshakeMessage());
            third.readFrame(); // the relay's second message
            third.write(new byte[] {0, 64, 1, 2, 3}); // announces 64 bytes, sends 3, and stops
            assertTrue(third.awaitClosedByRelay(), "a truncated third message kept the connection open");
        }
        assertChatWorks();
    }

    @Test
    void aLengthPrefixAboveTheMaximumClosesAtOnce() throws Exception {
        // A long handshake timeout: the close can only come from the frame limit.
        // 16 KiB, the default: room for a client's pre-key uploads (about 15 KB each, with their ML-KEM pre-keys), so
        // alice and bob can still join.
        start(b -> b.handshakeTimeout(Duration.ofSeconds(30)).maxFrameLengthBytes(16_384));
        try (HostileClient h = new HostileClient(address())) {
            h.write(new byte[] {0x40, 0x01, 1, 2, 3, 4}); // 16385 > 16384
            assertTrue(h.awaitClosedByRelay(), "an oversized length prefix kept the connection open");
        }
        try (HostileClient h = new HostileClient(address()).join("mallory")) {
            h.write(new byte[] {(byte) 0xFF, (byte) 0xFF, 9}); // after the handshake too
            assertTrue(h.awaitClosedByRelay());
        }
        assertChatWorks();
    }

    /** Slowloris before the handshake: a byte every 100 ms (3.3 s for the frame) outlasts the 2 s handshake timeout. */
    @Test
    void slowlorisBeforeTheHandshakeIsDroppedAtTheHandshakeTimeout() throws Exception {
        start(b -> b);
        try (HostileClient h = new HostileClient(address())) {
            byte[] frame = FrameEncoder.encode(h.firstHandshakeMessage());
            ScheduledFuture<?> trickle = trickle(h, frame, frame.length - 1);
            assertTrue(h.awaitClosedByRelay(), "the slowloris connection stayed open");
            trickle.cancel(false);
        }
        assertChatWorks();
    }

    /**
     * Slowloris after the handshake: bytes that never complete a message are not activity, so the idle timeout
     * ends the session with Bye(IDLE_TIMEOUT); meanwhile alice and bob, silent too, answer the relay's pings and
     * stay connected.
     */
    @Test
    void slowlorisAfterTheHandshakeIsDroppedAtTheIdleTimeoutWhilePingedClientsStay() throws Exception {
        start(b -> b.pingInterval(Duration.ofMillis(200)).idleTimeout(Duration.ofMillis(1200)));
        try (HostileClient h = new HostileClient(address()).join("mallory")) {
            byte[] frame = FrameEncoder.encode(h.seal(new SendPublic(1, "never finished")));
            ScheduledFuture<?> trickle = trickle(h, frame, frame.length - 1);
            Bye bye = h.receiveUntilBye();
            trickle.cancel(false);
            assertNotNull(bye, "the relay closed without a goodbye");
            assertEquals(ByeReason.IDLE_TIMEOUT, bye.reason());
        }
        assertEquals(2, relay.onlineClients(), "alice and bob answered the pings and stayed");
        assertChatWorks();
    }

    /** Writes {@code count} bytes of {@code bytes}, one every 100 ms, stopping when the relay closes. */
    private ScheduledFuture<?> trickle(HostileClient h, byte[] bytes, int count) {
        AtomicInteger next = new AtomicInteger();
        return timer.scheduleAtFixedRate(() -> {
            int i = next.getAndIncrement();
            if (i < count) {
                try {
                    h.write(new byte[] {bytes[i]});
                } catch (IOException closed) {
                    next.set(count);
                }
            }
        }, 0, 100, TimeUnit.MILLISECONDS);
    }

    @Test
    void hundredsOfConnectionsOpenedAndDroppedLeaveNothingBehind() throws Exception {
        start(b -> b);
        int before = openConnections();
        CompletableFuture<?>[] churners = new CompletableFuture<?>[3];
        for (int t = 0; t < churners.length; t++) {
            int seed = t;
            churners[t] = CompletableFuture.runAsync(() -> {
                Random random = new Random(seed);
                for (int i = 0; i < 100; i++) {
                    try {
                        HostileClient h = new HostileClient(address());
                        if (random.nextBoolean()) {
                            h.write(new byte[] {0, 32, 1}); // a frame begun
                        }
                        if (random.nextBoolean()) {
                            h.vanish();
                        } else {
                            h.close();
                        }
                    } catch (IOException refusedOrReset) {
                        // the per-address limit may refuse some while earlier ones are still closing
                    }
                }
            });
        }
        CompletableFuture.allOf(churners).get(30, TimeUnit.SECONDS);
        assertChatWorks();
        awaitCondition("the relay forgets every dropped connection", () -> openConnections() == before);
    }

    @Test
    void theConnectionLimitPerAddressHoldsAndSparesOtherAddresses() throws Exception {
        start(b -> b.maxConnectionsPerAddress(8).handshakeTimeout(Duration.ofSeconds(30)));
        List<HostileClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                held.add(new HostileClient(address()));
            }
            int joined = 0;
            for (int i = 0; i < held.size(); i++) {
                try {
                    held.get(i).join("h" + i);
                    joined++;
                } catch (IOException refused) {
                    // closed by the relay at accept
                }
            }
            assertEquals(8, joined, "exactly the per-address limit of connections from 127.0.0.2");
            RecordingListener carolEvents = new RecordingListener();
            ChatClient carol = client("carol", carolEvents);
            await(carol.connect()); // 127.0.0.1 has its own count
            await(carol.sendPrivate("alice", "still room for me"));
            assertEquals("still room for me", nextFrom(aliceEvents, "carol").text());
        } finally {
            for (HostileClient h : held) {
                h.close();
            }
        }
        assertChatWorks();
    }

    @Test
    void aFloodIsRateLimitedThenDisconnected() throws Exception {
        start(b -> b.rateLimit(new RateLimit(20, 40, 100, Duration.ofSeconds(10))));
        long start = System.nanoTime();
        int rateLimited = 0;
        Bye bye = null;
        try (HostileClient h = new HostileClient(address()).join("mallory")) {
            // The relay stops reading from a client that outruns its limit and drops only what it had already read
            // beyond what it holds (RateLimit): a flood is cut off only once one read brings more messages than
            // that. A few garbage envelopes (forwarded to bob while the burst lasts), then list requests, the
            // smallest requests with an id to refuse, so that a read of the socket's backlog carries well past the
            // hold, whatever the read size.
            CompletableFuture<Void> flood = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 1; i <= 100; i++) {
                        h.send(garbageFor(bobId, i));
                    }
                    for (int i = 101; i <= 20_000; i++) {
                        h.send(new ListRequest(i));
                    }
                } catch (IOException closed) {
                    // disconnected mid-flood, as it should be
                }
            });
            try {
                while (true) {
                    Message m = h.receive();
                    if (m instanceof ErrorReply e && e.code() == ErrorCode.RATE_LIMITED) {
                        rateLimited++;
                    } else if (m instanceof Bye b) {
                        bye = b;
                        break;
                    }
                }
            } catch (IOException closed) {
                // the relay closed right after its goodbye
            }
            flood.get(30, TimeUnit.SECONDS);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertNotNull(bye, "the flooder was not told why it was disconnected");
        assertEquals(ByeReason.RATE_LIMITED, bye.reason());
        assertTrue(rateLimited > 0, "no RATE_LIMITED error before the disconnection");
        // Bob got at most burst + rate * elapsed of the flood (each one refused by his client: mallory's envelopes
        // are garbage), and at least one: the relay forwarded what it admitted.
        assertChatWorks();
        int flooded = bobEvents.refusals.getOrDefault("mallory", 0);
        assertTrue(flooded >= 1 && flooded <= 40 + 20 * seconds + 1,
                "bob got " + flooded + " flood messages in " + seconds + " s");
    }

    /**
     * A client that never reads: its queue fills, it is disconnected as too slow, the senders of the messages it
     * missed are told RECIPIENT_TOO_SLOW, and bob, who reads, gets every message in order.
     */
    @Test
    void aClientThatNeverReadsIsDisconnectedAndItsSendersAreTold() throws Exception {
        start(b -> b.slowReaderLimitBytes(64 * 1024).slowReaderTimeout(Duration.ofSeconds(2))
                .rateLimit(new RateLimit(10_000, 10_000, 10_000, Duration.ofSeconds(1))));
        String text = "x".repeat(3000);
        int sent = 0;
        int tooSlow = 0;
        // Sloth publishes pre-keys, so alice hands it the room key and every public message goes to it. (Without
        // them it was a recipient only while alice's first hand-over waited for its upload: two seconds here, in
        // which a busy machine did not always push the megabytes the kernel's buffers hold.) Alice sends in
        // batches and waits for each: whichever comes first ends sloth, its queue's limit or the stall timeout
        // (the socket's buffers may hold a whole batch, and then the queue stays below its limit).
        IdentityKeyPair slothIdentity = IdentityKeyPair.generate(new SecureRandom());
        try (HostileClient h = new HostileClient(address(), 4096).join("sloth", slothIdentity.noiseStaticKeyPair())) {
            h.send(new UploadPreKeys(1, PreKeys.prepareUpload(new InMemoryProtocolStore(slothIdentity), 10, 1,
                    Clock.systemUTC(), new SecureRandom()).encode()));
            assertEquals("sloth", ((OnlineClient) aliceEvents.next("join").value()).nickname());
            while (tooSlow == 0 && sent < 3000) {
                List<CompletableFuture<?>> batch = new ArrayList<>();
                for (int i = 0; i < 50; i++) {
                    batch.add(alice.sendPublic(sent++ + " " + text));
                }
                for (CompletableFuture<?> f : batch) {
                    try {
                        await(f);
                    } catch (ExecutionException e) {
                        assertTrue(e.getCause() instanceof MessageRejectedException
                                && e.getCause().getMessage().contains("RECIPIENT_TOO_SLOW"), e.getCause().toString());
                        tooSlow++;
                    }
                }
            }
            assertTrue(tooSlow > 0, "sent " + sent + " messages and the non-reader was never found too slow");
            assertEquals("sloth", ((OnlineClient) aliceEvents.next("leave").value()).nickname());
            assertTrue(h.awaitClosedByRelay(), "the relay cut the connection of the client that never read");
        }
        for (int i = 0; i < sent; i++) {
            assertEquals(i + " " + text, nextFrom(bobEvents, "alice").text(), "bob's message " + i);
        }
        assertChatWorks();
    }

    @Test
    void aReplayedTransportRecordEndsTheSessionAndIsNotDeliveredTwice() throws Exception {
        start(b -> b);
        try (HostileClient h = new HostileClient(address()).join("mallory")) {
            byte[] record = h.seal(garbageFor(bobId, 1));
            h.sendFrame(record);
            h.sendFrame(record);
            assertTrue(h.awaitClosedByRelay(), "the replay was accepted");
        }
        // The relay forwarded the first record's envelope once. Bob's client cannot decrypt it (mallory has no
        // session with him) and counts it: exactly one reached bob.
        assertEquals("mallory", bobEvents.next("undecryptable").detail());
        assertChatWorks();
        assertEquals(1, bobEvents.refusals.get("mallory"), "the replayed record was delivered again");
        assertNoMessageFrom(bobEvents, "mallory");
    }

    @Test
    void aReorderedTransportRecordEndsTheSessionUndelivered() throws Exception {
        start(b -> b);
        try (HostileClient h = new HostileClient(address()).join("mallory")) {
            byte[] first = h.seal(garbageFor(bobId, 1));
            byte[] second = h.seal(garbageFor(bobId, 2));
            h.sendFrame(second);
            h.sendFrame(first);
            assertTrue(h.awaitClosedByRelay(), "the reordered record was accepted");
        }
        assertChatWorks();
        assertNoMessageFrom(bobEvents, "mallory");
        assertEquals(null, bobEvents.refusals.get("mallory"), "the relay forwarded a reordered record's message");
    }

    /** An envelope for a recipient that no session can open: the relay forwards it, the recipient refuses it. */
    private static SendEnvelope garbageFor(int recipientId, long requestId) {
        return new SendEnvelope(requestId, recipientId, ("not a ratchet message " + requestId)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static void assertNoMessageFrom(RecordingListener events, String sender) {
        for (RecordingListener.Event e : events.events) {
            assertFalse(e.value() instanceof ChatMessage m && m.senderNickname().equals(sender), "got " + e);
        }
    }

    /**
     * Graceful shutdown under traffic: every message alice had acknowledged reached bob, once and in order, and
     * close() returns within the shutdown timeout.
     */
    @Test
    void shutdownDeliversWhatWasAcceptedAndTellsTheRest() throws Exception {
        start(b -> b.rateLimit(new RateLimit(10_000, 10_000, 10_000, Duration.ofSeconds(1))));
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sends.add(alice.sendPublic("last words " + i));
        }
        long start = System.nanoTime();
        relay.close();
        // The 2 s shutdown timeout, plus at most a second or so for the threads to stop.
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(6), "close() overran its timeout");
        List<String> acknowledged = new ArrayList<>();
        for (int i = 0; i < sends.size(); i++) {
            try {
                await(sends.get(i));
                acknowledged.add("last words " + i);
            } catch (ExecutionException failedExplicitly) {
                // SHUTTING_DOWN, or the session ended with Bye(SERVER_SHUTDOWN) before a reply
            }
        }
        List<String> received = new ArrayList<>();
        while (true) {
            RecordingListener.Event e = bobEvents.next();
            if (e.kind().equals("disconnected")) {
                assertTrue(e.value().toString().contains("SERVER_SHUTDOWN"), e.toString());
                break;
            }
            if (e.value() instanceof ChatMessage m && m.senderNickname().equals("alice")
                    && m.text().startsWith("last words")) {
                received.add(m.text());
            }
        }
        assertTrue(received.containsAll(acknowledged), "an acknowledged message was lost");
        for (int i = 0; i < received.size(); i++) {
            assertEquals("last words " + i, received.get(i), "bob's messages are alice's, in order, once");
        }
        relay = null;
    }
}
