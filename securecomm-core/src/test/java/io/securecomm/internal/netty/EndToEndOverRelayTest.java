package io.securecomm.internal.netty;

import static io.securecomm.internal.netty.E2eRelayFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.PeerIdentity;
import io.securecomm.client.PeerIdentityChangedException;
import io.securecomm.client.UnknownRecipientException;
import io.securecomm.e2e.E2eException;
import io.securecomm.e2e.FileProtocolStore;
import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.PreKeyUpload;
import io.securecomm.e2e.PreKeys;
import io.securecomm.e2e.SafetyNumber;
import io.securecomm.wire.Envelope;
import io.securecomm.wire.Message;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.PreKeyCount;
import io.securecomm.wire.PrivateMessage;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendPrivate;
import io.securecomm.wire.UploadPreKeys;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Private messages end to end over a real relay on 127.0.0.1: what the relay sees, persistence, trust. */
@Timeout(60)
class EndToEndOverRelayTest {
    private E2eRelayFixture fx;

    @BeforeEach
    void start() throws Exception {
        fx = new E2eRelayFixture();
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void theRelayOnlySeesCiphertextOfAPrivateMessage() throws Exception {
        E2eEvents a = new E2eEvents();
        E2eEvents b = new E2eEvents();
        ChatClient alice = fx.client("alice", a);
        ChatClient bob = fx.client("bob", b);
        String secret = "the vault code is 7391, meet at the north gate";
        await(alice.sendPrivate("bob", secret));
        ChatMessage got = b.message();
        assertEquals(secret, got.text());
        assertTrue(got.isPrivate());
        assertEquals("alice", got.senderNickname());
        String reply = "understood: north gate, 7391";
        await(bob.sendPrivate("alice", reply));
        assertEquals(reply, a.message().text());

        List<Message> seen = fx.messagesSeen();
        assertTrue(seen.stream().anyMatch(SendEnvelope.class::isInstance), "the relay forwarded envelopes");
        assertTrue(seen.stream().anyMatch(Envelope.class::isInstance));
        assertFalse(seen.stream().anyMatch(m -> m instanceof SendPrivate || m instanceof PrivateMessage),
                "no plaintext private message type is used");
        long bytes = 0;
        synchronized (fx.plaintexts) {
            for (byte[] record : fx.plaintexts) {
                bytes += record.length;
                for (String s : List.of(secret, reply, "7391", "north gate")) {
                    assertFalse(contains(record, s.getBytes(StandardCharsets.UTF_8)),
                            "the relay saw '" + s + "' in clear");
                    assertFalse(contains(record, s.getBytes(StandardCharsets.UTF_16BE)));
                }
            }
        }
        assertTrue(bytes > 1000, "the recorder saw the traffic (" + bytes + " bytes)");
    }

    @Test
    void manyMessagesBothWaysStayInOrder() throws Exception {
        E2eEvents a = new E2eEvents();
        E2eEvents b = new E2eEvents();
        ChatClient alice = fx.client("alice", a);
        ChatClient bob = fx.client("bob", b);
        // Sent without waiting: the first ones race the session set-up; all must arrive, in order.
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            sends.add(alice.sendPrivate("bob", "a" + i));
            sends.add(bob.sendPrivate("alice", "b" + i));
        }
        for (var f : sends) {
            await(f);
        }
        for (int i = 0; i < 20; i++) {
            assertEquals("a" + i, b.message().text());
            assertEquals("b" + i, a.message().text());
        }
    }

    @Test
    void aClientThatReconnectsWithItsFileStoreContinuesItsSessions(@TempDir Path home) throws Exception {
        E2eEvents a = new E2eEvents();
        ChatClient alice = fx.client("alice", FileProtocolStore.open(home.resolve("alice"), new SecureRandom()), a);
        E2eEvents b1 = new E2eEvents();
        ChatClient bob = fx.client("bob", FileProtocolStore.open(home.resolve("bob"), new SecureRandom()), b1);
        await(alice.sendPrivate("bob", "before"));
        assertEquals("before", b1.message().text());
        await(bob.sendPrivate("alice", "ack"));
        assertEquals("ack", a.message().text());
        bob.close();
        a.next("leave");

        int requestsBefore = count(PreKeyBundleRequest.class);
        E2eEvents b2 = new E2eEvents();
        ChatClient bobAgain = fx.client("bob", FileProtocolStore.open(home.resolve("bob"), new SecureRandom()), b2);
        await(alice.sendPrivate("bob", "after"));
        assertEquals("after", b2.message().text());
        await(bobAgain.sendPrivate("alice", "still us"));
        assertEquals("still us", a.message().text());
        assertEquals(requestsBefore, count(PreKeyBundleRequest.class), "the old session went on: no new bundle");
    }

    private int count(Class<? extends Message> type) throws Exception {
        return (int) fx.messagesSeen().stream().filter(type::isInstance).count();
    }

    @Test
    void aClientReplenishesItsOneTimePreKeysWhenTheRelayRunsLow() throws Exception {
        CompletableFuture<Integer> replenished = new CompletableFuture<>();
        AtomicInteger uploads = new AtomicInteger();
        InMemoryProtocolStore bobStore = new InMemoryProtocolStore(
                IdentityKeyPair.generate(new SecureRandom()));
        fx.inbound = m -> {
            if (m instanceof UploadPreKeys u) {
                try {
                    PreKeyUpload upload = PreKeyUpload.decode(u.preKeys());
                    int n = upload.oneTimePreKeys().size();
                    // Only bob's uploads count: alice may top up her own KEM pre-keys (with a curve key or two)
                    // when bob's room-key hand-over took one of hers while her second connect upload was on its
                    // way. The connect's second upload carries only KEM pre-keys; a replenishment carries curve ones.
                    if (upload.identity().equals(bobStore.identityKeyPair().publicKey())
                            && n > 0 && n < PreKeys.TARGET_ONE_TIME_PRE_KEYS) {
                        uploads.incrementAndGet();
                        replenished.complete(n);
                    }
                } catch (E2eException e) {
                    replenished.completeExceptionally(e);
                }
            }
            return List.of(m);
        };
        // The relay no longer lets anyone drain a client's one-time pre-keys (PreKeyDirectory's bounds), so the
        // test has it report a low count: 19, then 18 and 17 while the client's upload is on its way.
        fx.outboundTo = (to, m) -> to == 1 && m instanceof PreKeyCount // to bob only
                ? List.of(new PreKeyCount(19, 14), new PreKeyCount(18, 14),
                        new PreKeyCount(17, 14))
                : List.of(m);
        fx.client("bob", bobStore, new E2eEvents());
        ChatClient alice = fx.client("alice", new E2eEvents());
        await(alice.sendPrivate("bob", "hello")); // takes one of bob's bundles: the relay reports the count
        // At 19 left, below the low-water mark of 20, bob tops the relay up to 100 on his own (one upload,
        // although further low counts arrive while it is on its way).
        assertEquals(PreKeys.TARGET_ONE_TIME_PRE_KEYS - (PreKeys.LOW_WATERMARK - 1),
                replenished.get(10, TimeUnit.SECONDS));
        fx.outboundTo = null;
        fx.inbound = List::of;
        await(alice.sendPrivate("bob", "still fine"));
        assertEquals(1, uploads.get(), "one replenishing upload");
    }

    @Test
    void aClientReplenishesItsOneTimeKemPreKeysWhenTheRelayRunsLow() throws Exception {
        CompletableFuture<Integer> replenished = new CompletableFuture<>();
        AtomicInteger uploads = new AtomicInteger();
        AtomicInteger connectUploads = new AtomicInteger();
        InMemoryProtocolStore bobStore = new InMemoryProtocolStore(
                IdentityKeyPair.generate(new SecureRandom()));
        fx.inbound = m -> {
            if (m instanceof UploadPreKeys u) {
                try {
                    PreKeyUpload upload = PreKeyUpload.decode(u.preKeys());
                    // Bob's connect uploads come first (two); what follows of his is the replenishment.
                    if (upload.identity().equals(bobStore.identityKeyPair().publicKey())
                            && connectUploads.incrementAndGet() > 2) {
                        uploads.incrementAndGet();
                        replenished.complete(upload.oneTimeKemPreKeys().size());
                    }
                } catch (E2eException e) {
                    replenished.completeExceptionally(e);
                }
            }
            return List.of(m);
        };
        // The relay reports 6 one-time KEM pre-keys left (curve ones plenty): below the watermark of 7.
        fx.outboundTo = (to, m) -> to == 1 && m instanceof PreKeyCount
                ? List.of(new PreKeyCount(99, 6), new PreKeyCount(98, 5))
                : List.of(m);
        fx.client("bob", bobStore, new E2eEvents());
        ChatClient alice = fx.client("alice", new E2eEvents());
        await(alice.sendPrivate("bob", "hello"));
        assertEquals(PreKeys.TARGET_ONE_TIME_KEM_PRE_KEYS - 6, replenished.get(10, TimeUnit.SECONDS),
                "bob tops the relay up to the target, in one upload");
        fx.outboundTo = null;
        fx.inbound = List::of;
        await(alice.sendPrivate("bob", "still fine"));
        assertEquals(1, uploads.get(), "one replenishing upload");
    }

    @Test
    void safetyNumbersMatchOnBothSidesAndCanBeMarkedVerified() throws Exception {
        ChatClient alice = fx.client("alice", new E2eEvents());
        ChatClient bob = fx.client("bob", new E2eEvents());
        PeerIdentity bobSeenByAlice = await(alice.peerIdentity("BOB"));
        PeerIdentity aliceSeenByBob = await(bob.peerIdentity("alice"));
        assertEquals(bobSeenByAlice.safetyNumber(), aliceSeenByBob.safetyNumber());
        assertEquals(bob.identityKey().fingerprint(), bobSeenByAlice.fingerprint());
        assertFalse(bobSeenByAlice.verified());
        await(alice.markVerified("bob"));
        assertTrue(await(alice.peerIdentity("bob")).verified());
        assertInstanceOf(UnknownRecipientException.class,
                assertThrows(ExecutionException.class, () -> alice.peerIdentity("nobody").get(10, TimeUnit.SECONDS))
                        .getCause());
    }

    @Test
    void aChangedIdentityBlocksSendingUntilTheUserTrustsIt() throws Exception {
        E2eEvents a = new E2eEvents();
        ChatClient alice = fx.client("alice", a);
        ChatClient bob = fx.client("bob", new E2eEvents());
        a.next("join"); // bob's connect can complete before alice hears of him
        await(alice.sendPrivate("bob", "hello"));
        String oldFingerprint = bob.identityKey().fingerprint();
        bob.close();
        a.next("leave");

        // Someone else (or bob on a new device) now connects as "bob" with another identity, once the relay's
        // operator released bob's account (#16: without that, the relay refuses another key the nickname).
        fx.releaseAccount("bob");
        E2eEvents b2 = new E2eEvents();
        ChatClient newBob = fx.client("bob", b2);
        Throwable refused = assertThrows(ExecutionException.class,
                () -> alice.sendPrivate("bob", "are you bob?").get(10, TimeUnit.SECONDS)).getCause();
        PeerIdentityChangedException change = assertInstanceOf(PeerIdentityChangedException.class, refused);
        assertEquals("bob", change.peer());
        assertEquals(oldFingerprint, change.previousFingerprint());
        assertEquals(newBob.identityKey().fingerprint(), change.newFingerprint());
        assertInstanceOf(PeerIdentityChangedException.class, a.next("identity").value());
        // Still refused on the next try, and the new bob's own messages are held back too.
        assertInstanceOf(PeerIdentityChangedException.class, assertThrows(ExecutionException.class,
                () -> alice.sendPrivate("bob", "again").get(10, TimeUnit.SECONDS)).getCause());
        await(newBob.sendPrivate("alice", "it is me, new phone"));
        PeerIdentity pending = await(alice.peerIdentity("bob"));
        assertEquals(newBob.identityKey().fingerprint(), pending.pendingFingerprint().orElseThrow());
        assertEquals(change.safetyNumber(), await(newBob.peerIdentity("alice")).safetyNumber().formatted());

        assertTrue(await(alice.trustNewIdentity("bob", SafetyNumber.parse(change.safetyNumber()))));
        assertEquals("it is me, new phone", a.message().text(), "the held message is delivered after trust");
        assertTrue(a.events.stream().noneMatch(e -> e.kind().equals("identity")), "one warning per claimed"
                + " identity, not one per message under it: " + a.events);
        assertEquals("alice", ((OnlineClient) b2.next("roomkey").value()).nickname(),
                "the room key refused during the change goes out once it is accepted");
        await(alice.sendPrivate("bob", "welcome back"));
        assertEquals("welcome back", b2.message().text());
        assertFalse(await(alice.trustNewIdentity("bob", SafetyNumber.parse(change.safetyNumber()))),
                "nothing left to trust");
        assertNotEquals(oldFingerprint, await(alice.peerIdentity("bob")).fingerprint());
    }
}
