package io.securecomm.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.client.ChatClient;
import io.securecomm.client.ChatClientOptions;
import io.securecomm.client.ChatMessage;
import io.securecomm.client.NicknameRejectedException;
import io.securecomm.client.NotConnectedException;
import io.securecomm.client.OnlineClient;
import io.securecomm.client.RelayClosedException;
import io.securecomm.client.RelayTrustStore;
import io.securecomm.client.Session;
import io.securecomm.client.UnknownRecipientException;
import io.securecomm.wire.ByeReason;
import io.securecomm.wire.ListRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The relay and its clients over real sockets on 127.0.0.1 with an ephemeral port. */
@Timeout(60)
class RelayIntegrationTest {
    private RelayServer relay;
    private final List<ChatClient> clients = new ArrayList<>();

    @BeforeEach
    void startRelay() throws Exception {
        relay = RelayServer.create(RelayOptions.builder().bindAddress("127.0.0.1").port(0)
                .shutdownTimeout(Duration.ofSeconds(5))
                // These tests send bursts of 100 to check ordering; the rate limit has its own tests.
                .rateLimit(new RateLimit(1000, 1000, 1000, Duration.ofSeconds(1))).build()).start();
    }

    @AfterEach
    void stop() {
        clients.forEach(ChatClient::close);
        relay.close();
    }

    private ChatClient client(String nickname, RecordingListener listener) {
        ChatClient c = ChatClient.create(ChatClientOptions.builder("127.0.0.1", relay.localAddress().getPort())
                .nickname(nickname).trustStore(RelayTrustStore.knownKey(relay.identityPublicKey())).build(), listener);
        clients.add(c);
        return c;
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void listShowsEveryoneWithIdsFromOneAndIdentityKeys() throws Exception {
        RecordingListener la = new RecordingListener();
        ChatClient alice = client("alice", la);
        Session sa = await(alice.connect());
        assertEquals(1, sa.clientId());
        assertEquals("alice", sa.nickname());
        ChatClient bob = client("bob", new RecordingListener());
        Session sb = await(bob.connect());
        assertEquals(2, sb.clientId());
        OnlineClient joined = (OnlineClient) la.next("join").value();
        assertEquals("bob", joined.nickname());

        List<OnlineClient> list = await(alice.list());
        assertEquals(List.of(1, 2), list.stream().map(OnlineClient::clientId).toList());
        assertEquals(List.of("alice", "bob"), list.stream().map(OnlineClient::nickname).toList());
        assertEquals(32, list.get(0).identityKey().length);
        assertEquals(joined, list.get(1));
        assertEquals(12, list.get(1).fingerprint().split(" ").length);
    }

    @Test
    void publicMessagesReachEveryOtherClientExactlyOnceInSenderOrder() throws Exception {
        RecordingListener la = new RecordingListener();
        RecordingListener lb = new RecordingListener();
        RecordingListener lc = new RecordingListener();
        ChatClient alice = client("alice", la);
        ChatClient bob = client("bob", lb);
        ChatClient carol = client("carol", lc);
        await(alice.connect());
        await(bob.connect());
        await(carol.connect());
        // A room envelope goes to the members its sender knows of: wait until both senders have seen carol join.
        awaitJoin(la, "carol");
        awaitJoin(lb, "carol");
        int n = 50;
        List<CompletableFuture<?>> sends = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            sends.add(alice.sendPublic("a" + i));
            sends.add(bob.sendPublic("b" + i));
        }
        for (CompletableFuture<?> f : sends) {
            await(f);
        }
        // A last message from carol marks the end: everything before it must be each sender's
        // messages exactly once, in order, and never the receiver's own.
        await(carol.sendPublic("end"));
        assertSequences(drainUntilEnd(la), "alice", List.of("bob"), n);
        assertSequences(drainUntilEnd(lb), "bob", List.of("alice"), n);
        await(alice.sendPublic("end"));
        assertSequences(drainUntilEnd(lc), "carol", List.of("alice", "bob"), n);
    }

    private static void awaitJoin(RecordingListener l, String nickname) throws Exception {
        while (!((OnlineClient) l.next("join").value()).nickname().equals(nickname)) {
            // an earlier member's join: keep waiting
        }
    }

    private static List<ChatMessage> drainUntilEnd(RecordingListener l) throws Exception {
        List<ChatMessage> got = new ArrayList<>();
        while (true) {
            ChatMessage m = l.nextMessage();
            if (m.text().equals("end")) {
                return got;
            }
            got.add(m);
        }
    }

    private static void assertSequences(List<ChatMessage> got, String receiver, List<String> senders, int n) {
        for (ChatMessage m : got) {
            assertFalse(m.isPrivate());
            assertTrue(senders.contains(m.senderNickname()), receiver + " got a message from " + m.senderNickname());
        }
        for (String sender : senders) {
            String prefix = sender.substring(0, 1);
            List<String> texts = got.stream().filter(m -> m.senderNickname().equals(sender)).map(ChatMessage::text)
                    .toList();
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                expected.add(prefix + i);
            }
            assertEquals(expected, texts, receiver + " sees " + sender + "'s messages exactly once, in order");
        }
    }

    @Test
    void privateMessagesReachOnlyTheirRecipientByNicknameOrId() throws Exception {
        RecordingListener la = new RecordingListener();
        RecordingListener lb = new RecordingListener();
        RecordingListener lc = new RecordingListener();
        ChatClient alice = client("alice", la);
        ChatClient bob = client("bob", lb);
        ChatClient carol = client("carol", lc);
        await(alice.connect());
        Session sb = await(bob.connect());
        await(carol.connect());
        await(alice.sendPrivate("BOB", "secret 1"));
        await(alice.sendPrivate(sb.clientId(), "secret 2"));
        ChatMessage m1 = lb.nextMessage();
        ChatMessage m2 = lb.nextMessage();
        assertTrue(m1.isPrivate());
        assertEquals("secret 1", m1.text());
        assertEquals("secret 2", m2.text());
        assertEquals(1, m1.senderId());
        await(alice.sendPublic("public"));
        assertEquals("public", lc.nextMessage().text(), "carol saw no private message first");
        assertEquals("public", lb.nextMessage().text());
    }

    @Test
    void unknownRecipientsFailTheSendersFuture() throws Exception {
        ChatClient alice = client("alice", new RecordingListener());
        await(alice.connect());
        UnknownRecipientException byName =
                assertInstanceOf(UnknownRecipientException.class, failure(alice.sendPrivate("nobody", "hi")));
        assertEquals("nobody", byName.recipient());
        UnknownRecipientException byId =
                assertInstanceOf(UnknownRecipientException.class, failure(alice.sendPrivate(99, "hi")));
        assertEquals("99", byId.recipient());
        await(alice.sendPublic("still connected"));
    }

    @Test
    void joinLeaveAndDisconnectNotices() throws Exception {
        RecordingListener la = new RecordingListener();
        ChatClient alice = client("alice", la);
        await(alice.connect());
        RecordingListener lb = new RecordingListener();
        ChatClient bob = client("bob", lb);
        await(bob.connect());
        RecordingListener.Event join = la.next();
        assertEquals("join", join.kind());
        assertTrue(join.thread().startsWith("securecomm-client-events-"), join.thread());
        bob.close();
        RecordingListener.Event leave = la.next();
        assertEquals("leave", leave.kind());
        assertEquals("bob", ((OnlineClient) leave.value()).nickname());
        assertEquals("left", leave.detail());
        RecordingListener.Event bobEnd = lb.next("disconnected");
        assertInstanceOf(NotConnectedException.class, bobEnd.value());
        assertInstanceOf(NotConnectedException.class, failure(bob.sendPublic("after close")));
        assertEquals(1, await(alice.list()).size());
    }

    @Test
    void nicknamesAreValidatedAndUnique() throws Exception {
        await(client("alice", new RecordingListener()).connect());
        NicknameRejectedException taken = assertInstanceOf(NicknameRejectedException.class,
                failure(client("ALICE", new RecordingListener()).connect()));
        // Another identity: alice's account (#16) refuses it, whether alice is online or not.
        assertEquals(NicknameRejectedException.Reason.REGISTERED, taken.reason());
        NicknameRejectedException lookAlike = assertInstanceOf(NicknameRejectedException.class,
                failure(client("a1ice", new RecordingListener()).connect()));
        assertEquals(NicknameRejectedException.Reason.TAKEN, lookAlike.reason());
        // The relay's rule is the builder's: an invalid nickname never reaches the relay.
        IllegalArgumentException digits = assertThrows(IllegalArgumentException.class, () -> client("12",
                new RecordingListener()));
        assertTrue(digits.getMessage().contains("digits only"), digits.getMessage());
        assertThrows(IllegalArgumentException.class, () -> client("bad name", new RecordingListener()));
        assertEquals(1, relay.onlineClients());
    }

    @Test
    void relayCloseNotifiesEveryoneAndFailsLaterSends() throws Exception {
        RecordingListener la = new RecordingListener();
        RecordingListener lb = new RecordingListener();
        ChatClient alice = client("alice", la);
        ChatClient bob = client("bob", lb);
        await(alice.connect());
        await(bob.connect());
        relay.close();
        for (RecordingListener l : List.of(la, lb)) {
            RelayClosedException e = assertInstanceOf(RelayClosedException.class, l.next("disconnected").value());
            assertTrue(e.getMessage().contains("SERVER_SHUTDOWN"), e.getMessage());
            assertEquals(RelayClosedException.Reason.RELAY_SHUTTING_DOWN, e.reason());
        }
        assertFalse(alice.isConnected());
        assertInstanceOf(RelayClosedException.class, failure(alice.sendPublic("too late")));
    }

    @Test
    void afterTheShutdownGoodbyeTheRelayStillReadsWhatTheClientSendsUntilItCloses() throws Exception {
        try (HostileClient h = new HostileClient(relay.localAddress(), "127.0.0.1").join("mallory")) {
            CompletableFuture<Void> closing = CompletableFuture.runAsync(relay::close);
            assertEquals(ByeReason.SERVER_SHUTDOWN, h.receiveUntilBye().reason());
            assertEquals(-1, h.readByte(), "the goodbye is followed by the end of the relay's output");
            // A relay that had closed its socket would answer the first of these with a reset, and the next would
            // fail: so would a client's read of a goodbye still in its buffer, if its write failed first. The pauses
            // give a reset time to arrive: there is no event to wait for when none should.
            for (int i = 1; i <= 3; i++) {
                h.send(new ListRequest(i));
                Thread.sleep(20);
            }
            h.close(); // as a client does on a goodbye: the relay's close returns without its timeout
            closing.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientStillSendingWhenTheRelayClosesHearsTheGoodbyeNotAReset() throws Exception {
        RecordingListener la = new RecordingListener();
        ChatClient alice = client("alice", la);
        await(alice.connect());
        await(client("bob", new RecordingListener()).connect());
        await(alice.sendPublic("first"));
        // Alice keeps sending while the relay closes. Had the relay closed its socket right after the goodbye, its
        // kernel would answer her next records with a reset, and her client, whose write then fails, would close
        // before it read the goodbye waiting in its buffer (about once in twenty runs of this test).
        CountDownLatch sending = new CountDownLatch(20);
        String text = "x".repeat(4000);
        Thread sender = new Thread(() -> {
            for (int i = 0; i < 800 && alice.isConnected(); i++) {
                alice.sendPublic(text);
                sending.countDown();
            }
        }, "alice-sender");
        sender.start();
        assertTrue(sending.await(10, TimeUnit.SECONDS));
        relay.close();
        RelayClosedException e = assertInstanceOf(RelayClosedException.class, la.next("disconnected").value());
        assertEquals(RelayClosedException.Reason.RELAY_SHUTTING_DOWN, e.reason(), e.getMessage());
        sender.join(10_000);
        assertFalse(sender.isAlive());
    }

    @Test
    void manyClientsSendingAtOnceKeepEachSendersOrder() throws Exception {
        int clientsCount = 8;
        int perSender = 25;
        List<ChatClient> cs = new ArrayList<>();
        List<RecordingListener> ls = new ArrayList<>();
        for (int i = 0; i < clientsCount; i++) {
            RecordingListener l = new RecordingListener();
            ChatClient c = client("c" + i, l);
            await(c.connect());
            cs.add(c);
            ls.add(l);
        }
        List<CompletableFuture<Void>> senders = new ArrayList<>();
        for (int i = 0; i < clientsCount; i++) {
            ChatClient c = cs.get(i);
            String prefix = "c" + i + ":";
            senders.add(CompletableFuture.runAsync(() -> {
                List<CompletableFuture<?>> sends = new ArrayList<>();
                for (int k = 0; k < perSender; k++) {
                    sends.add(c.sendPublic(prefix + k));
                }
                sends.forEach(CompletableFuture::join);
            }));
        }
        for (CompletableFuture<Void> f : senders) {
            f.get(30, TimeUnit.SECONDS);
        }
        for (int r = 0; r < clientsCount; r++) {
            int[] nextExpected = new int[clientsCount];
            int received = 0;
            while (received < (clientsCount - 1) * perSender) {
                ChatMessage m = ls.get(r).nextMessage();
                int sender = Integer.parseInt(m.senderNickname().substring(1));
                assertTrue(sender != r, "no echo");
                assertEquals("c" + sender + ":" + nextExpected[sender], m.text(), "order from " + m.senderNickname());
                nextExpected[sender]++;
                received++;
            }
        }
    }
}
