package io.securecomm.internal.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.PreKeyBundle;
import io.securecomm.e2e.PreKeys;
import io.securecomm.internal.relay.RelayHarness.Conn;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.store.InMemoryRelayStore;
import io.securecomm.relay.store.QueueUsage;
import io.securecomm.relay.store.StoreLimits;
import io.securecomm.wire.AccountBundle;
import io.securecomm.wire.AccountBundleRequest;
import io.securecomm.wire.AccountHello;
import io.securecomm.wire.AckStored;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.DeliveryReport;
import io.securecomm.wire.DeliveryState;
import io.securecomm.wire.Envelope;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Message;
import io.securecomm.wire.ReleaseAccount;
import io.securecomm.wire.SendToAccount;
import io.securecomm.wire.StoredEnvelope;
import io.securecomm.wire.UploadPreKeys;
import io.securecomm.wire.Welcome;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Accounts, stored messages and their acknowledgement, and offline bundles, with the relay's sessions in memory. */
class RelaySessionAccountsTest {
    private RelayHarness relay = new RelayHarness(RelayOptions.builder());

    private static byte[] key(int b) {
        byte[] k = new byte[32];
        Arrays.fill(k, (byte) b);
        return k;
    }

    /** A connection that said AccountHello; its Welcome is consumed (the stored messages stay to be read). */
    private Conn account(String nickname, int keyByte) {
        Conn c = relay.established(key(keyByte), ProtocolExtension.NONE);
        c.send(new AccountHello(nickname, "test/1"));
        Message welcome = c.next();
        assertInstanceOf(Welcome.class, welcome, nickname + " was not welcomed");
        return c;
    }

    private Message hello(Message hello, int keyByte) {
        Conn c = relay.established(key(keyByte), ProtocolExtension.NONE);
        c.send(hello);
        return c.next();
    }

    private static List<Message> of(Conn c, Class<?> type) {
        List<Message> out = new ArrayList<>();
        for (Message m : c.drain()) {
            if (type.isInstance(m)) {
                out.add(m);
            }
        }
        return out;
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aNicknameIsRefusedToAnotherKeyInAnyLetterCase() {
        account("bob", 2).clientCloses();
        for (String spelling : List.of("bob", "Bob", "BOB")) {
            ErrorReply refused = assertInstanceOf(ErrorReply.class, hello(new AccountHello(spelling, "t"), 3));
            assertEquals(ErrorCode.NICKNAME_REGISTERED, refused.code(), refused.toString());
            assertTrue(refused.detail().contains("registered"), refused.detail());
            // An older client's hello: a code it knows, and the same words.
            ErrorReply old = assertInstanceOf(ErrorReply.class, hello(new ClientHello(spelling, "t"), 3));
            assertEquals(ErrorCode.NICKNAME_TAKEN, old.code());
            assertTrue(old.detail().contains("registered on this relay to another identity key"), old.detail());
        }
        assertInstanceOf(Welcome.class, hello(new AccountHello("BoB", "t"), 2), "the holder's key, any case");
    }

    @Test
    void aNicknameThatLooksLikeARegisteredOneIsRefusedEvenWhileItsHolderIsOffline() {
        account("alice", 2).clientCloses();
        for (String lookAlike : List.of("aIice", "a1ice", "alice.")) {
            ErrorReply refused = assertInstanceOf(ErrorReply.class, hello(new AccountHello(lookAlike, "t"), 3));
            assertEquals(ErrorCode.NICKNAME_TAKEN, refused.code());
            assertTrue(refused.detail().contains("looks like 'alice'"), refused.detail());
        }
    }

    @Test
    void theHolderReleasesItsAccountAndAnotherKeyMayTakeTheNickname() {
        Conn bob = account("bob", 2);
        bob.send(new ReleaseAccount(5));
        assertEquals(new Delivered(5), bob.next());
        bob.clientCloses();
        assertInstanceOf(Welcome.class, hello(new AccountHello("bob", "t"), 3));
    }

    @Test
    void theOperatorReleasesAnAccount() {
        account("bob", 2).clientCloses();
        relay.releaseAccount("Bob");
        assertInstanceOf(Welcome.class, hello(new AccountHello("bob", "t"), 3));
    }

    @Test
    void messagesForAnOfflineAccountAreStoredDeliveredInOrderAndDeletedOnlyWhenAcknowledged() {
        Conn alice = account("alice", 1);
        account("bob", 2).clientCloses();
        alice.drain();
        for (int i = 1; i <= 3; i++) {
            alice.send(new SendToAccount(i, "Bob", text("m" + i)));
            assertEquals(new DeliveryReport(i, DeliveryState.STORED), alice.next());
        }
        relay.clock.advance(Duration.ofMinutes(5));

        Conn bob = account("bob", 2);
        List<Message> stored = of(bob, StoredEnvelope.class);
        assertEquals(3, stored.size(), stored.toString());
        long previous = 0;
        for (int i = 0; i < 3; i++) {
            StoredEnvelope m = (StoredEnvelope) stored.get(i);
            assertArrayEquals(text("m" + (i + 1)), m.ciphertext());
            assertEquals("alice", m.senderNickname());
            assertArrayEquals(key(1), m.senderIdentityKey());
            assertTrue(m.messageId() > previous, "ids increase in the order stored");
            assertTrue(m.sentAtMillis() <= relay.clock.millis() - Duration.ofMinutes(5).toMillis());
            previous = m.messageId();
        }
        bob.send(new AckStored(new long[] {((StoredEnvelope) stored.get(0)).messageId(),
                ((StoredEnvelope) stored.get(1)).messageId()}));
        bob.clientCloses();

        Conn again = account("bob", 2);
        List<Message> redelivered = of(again, StoredEnvelope.class);
        assertEquals(List.of(stored.get(2)), redelivered, "only the unacknowledged one comes again");
        again.send(new AckStored(new long[] {((StoredEnvelope) stored.get(2)).messageId()}));
        again.clientCloses();
        assertTrue(of(account("bob", 2), StoredEnvelope.class).isEmpty());
    }

    @Test
    void aMessageForAnOnlineAccountGoesLiveAndOneSendersOrderHoldsAcrossStoredAndLive() {
        Conn alice = account("alice", 1);
        account("bob", 2).clientCloses();
        alice.drain();
        alice.send(new SendToAccount(1, "bob", text("stored")));
        assertEquals(new DeliveryReport(1, DeliveryState.STORED), alice.next());
        Conn bob = account("bob", 2);
        alice.drain();
        alice.send(new SendToAccount(2, "bob", text("live")));
        assertEquals(new DeliveryReport(2, DeliveryState.DELIVERED), alice.next());
        List<Message> got = new ArrayList<>();
        for (Message m : bob.drain()) {
            if (m instanceof StoredEnvelope || m instanceof Envelope) {
                got.add(m);
            }
        }
        assertEquals(2, got.size(), got.toString());
        assertArrayEquals(text("stored"), ((StoredEnvelope) got.get(0)).ciphertext());
        assertArrayEquals(text("live"), ((Envelope) got.get(1)).ciphertext());
    }

    @Test
    void storedMessagesGoOutWithinAWindowOfUnacknowledgedBytesSoTheDrainNeverTripsTheSlowReaderLimit() {
        relay = new RelayHarness(RelayOptions.builder().slowReaderLimitBytes(64 * 1024));
        Conn alice = account("alice", 1);
        account("bob", 2).clientCloses();
        alice.drain();
        byte[] big = new byte[8000];
        for (int i = 1; i <= 20; i++) {
            alice.send(new SendToAccount(i, "bob", big));
            assertEquals(new DeliveryReport(i, DeliveryState.STORED), alice.next());
        }
        Conn bob = account("bob", 2);
        List<Message> first = of(bob, StoredEnvelope.class);
        assertEquals(5, first.size(), "32 KiB (half the limit) reached after the fifth: " + first.size());
        long[] ids = first.stream().mapToLong(m -> ((StoredEnvelope) m).messageId()).toArray();
        bob.send(new AckStored(ids));
        assertEquals(5, of(bob, StoredEnvelope.class).size(), "the next five once those are acknowledged");
    }

    @Test
    void aMessageToNoAccountIsRefused() {
        Conn alice = account("alice", 1);
        alice.send(new SendToAccount(1, "nobody", text("hi")));
        ErrorReply refused = assertInstanceOf(ErrorReply.class, alice.next());
        assertEquals(ErrorCode.UNKNOWN_RECIPIENT, refused.code());
        assertTrue(refused.detail().contains("nobody"), refused.detail());
    }

    @Test
    void boundsAreToldAtSendTimeAndExpiryFollowsTheInjectedClock() {
        relay = new RelayHarness(RelayOptions.builder(), clock -> new InMemoryRelayStore(clock,
                StoreLimits.defaults().withMaxQueuedMessagesPerRecipient(2)
                        .withMaxQueuedMessageAge(Duration.ofHours(1))));
        Conn alice = account("alice", 1);
        account("bob", 2).clientCloses();
        alice.drain();
        alice.send(new SendToAccount(1, "bob", text("one")));
        alice.send(new SendToAccount(2, "bob", text("two")));
        alice.send(new SendToAccount(3, "bob", text("three")));
        assertEquals(new DeliveryReport(1, DeliveryState.STORED), alice.next());
        assertEquals(new DeliveryReport(2, DeliveryState.STORED), alice.next());
        ErrorReply full = assertInstanceOf(ErrorReply.class, alice.next());
        assertEquals(ErrorCode.QUEUE_FULL, full.code());
        assertTrue(full.detail().contains("2 messages"), full.detail());

        relay.advance(Duration.ofHours(1));
        alice.drain();
        alice.send(new SendToAccount(4, "bob", text("four")));
        assertEquals(new DeliveryReport(4, DeliveryState.STORED), alice.next(), "the expired ones made room");
        List<Message> stored = of(account("bob", 2), StoredEnvelope.class);
        assertEquals(1, stored.size(), "the two expired messages are never delivered");
        assertArrayEquals(text("four"), ((StoredEnvelope) stored.get(0)).ciphertext());
    }

    @Test
    void expiredStoredMessagesArePurgedEveryPeriodOfTheInjectedClock() throws Exception {
        InMemoryRelayStore[] store = new InMemoryRelayStore[1];
        relay = new RelayHarness(RelayOptions.builder(), clock -> store[0] = new InMemoryRelayStore(clock,
                StoreLimits.defaults().withMaxQueuedMessageAge(Duration.ofMinutes(1))));
        Conn alice = account("alice", 1);
        account("bob", 2).clientCloses();
        alice.drain();
        alice.send(new SendToAccount(1, "bob", text("for later")));
        assertEquals(new DeliveryReport(1, DeliveryState.STORED), alice.next());
        relay.advance(Duration.ofMinutes(2));
        assertEquals(1, store[0].messages().usage("bob").toCompletableFuture().get().messages(),
                "expired, but the period has not run out");
        relay.advance(RelayState.PURGE_PERIOD);
        assertEquals(new QueueUsage(0, 0), store[0].messages().usage("bob").toCompletableFuture().get(),
                "purged when the period ran out, with no one sending or fetching");
    }

    @Test
    void aStoreThatFailsTellsTheSenderNotStoredWhileLiveDeliveryGoesOn() {
        InMemoryRelayStore[] store = new InMemoryRelayStore[1];
        relay = new RelayHarness(RelayOptions.builder(), clock -> store[0] = new InMemoryRelayStore(clock,
                StoreLimits.defaults()));
        Conn alice = account("alice", 1);
        Conn carol = account("carol", 3);
        account("bob", 2).clientCloses();
        store[0].close(); // every store operation now fails
        alice.drain();
        alice.send(new SendToAccount(1, "bob", text("for later")));
        ErrorReply notStored = assertInstanceOf(ErrorReply.class, alice.next());
        assertEquals(ErrorCode.NOT_STORED, notStored.code());
        assertTrue(notStored.detail().contains("nothing was stored"), notStored.detail());
        alice.send(new SendToAccount(2, "carol", text("now")));
        assertEquals(new DeliveryReport(2, DeliveryState.DELIVERED), alice.next());
        assertFalse(of(carol, Envelope.class).isEmpty());
    }

    @Test
    void anOfflineClientsBundleComesFromTheStoreAndItsOneTimeKeysAreNeverHandedOutTwice() throws Exception {
        SecureRandom random = new SecureRandom();
        IdentityKeyPair bobId = IdentityKeyPair.generate(random);
        Conn bob = relay.established(bobId.publicKey().agreementKey(), ProtocolExtension.NONE);
        bob.send(new AccountHello("bob", "t"));
        assertInstanceOf(Welcome.class, bob.next());
        bob.send(new UploadPreKeys(1, PreKeys.prepareUpload(new InMemoryProtocolStore(bobId), 4, 2,
                Clock.systemUTC(), random).encode()));
        assertEquals(new Delivered(1), bob.next());
        Conn alice = account("alice", 1);
        alice.send(new AccountBundleRequest(1, "bob")); // online: from memory, withdrawn from the store
        Set<Integer> oneTime = new HashSet<>();
        AccountBundle online = (AccountBundle) of(alice, AccountBundle.class).get(0);
        PreKeyBundle.decode(online.bundle()).oneTime().ifPresent(k -> oneTime.add(k.id()));
        bob.clientCloses();

        for (int i = 0; i < 3; i++) {
            Conn requester = account("r" + i, 10 + i);
            requester.send(new AccountBundleRequest(1, "BOB"));
            AccountBundle b = (AccountBundle) of(requester, AccountBundle.class).get(0);
            assertEquals("bob", b.nickname());
            assertArrayEquals(bobId.publicKey().agreementKey(), b.identityKey());
            PreKeyBundle bundle = PreKeyBundle.decode(b.bundle());
            bundle.verify();
            bundle.oneTime().ifPresent(k -> assertTrue(oneTime.add(k.id()), "one-time key " + k.id() + " twice"));
        }
        assertEquals(4, oneTime.size(), "every one-time key went out, once");
    }
}
