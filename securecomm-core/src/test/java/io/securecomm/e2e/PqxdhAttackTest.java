package io.securecomm.e2e;

import static io.securecomm.e2e.HostileRelayTest.assertRefused;
import static io.securecomm.e2e.HostileRelayTest.setUp;
import static io.securecomm.e2e.Party.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.securecomm.e2e.HostileRelayTest.Envelope;
import io.securecomm.e2e.HostileRelayTest.Relay;
import io.securecomm.e2e.internal.ByteWriter;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every attack of {@link HostileRelayTest} (bad signature, missing or reused pre-key, replay, tampered ciphertext),
 * repeated for the KEM parts of PQXDH, and the downgrade a hostile relay would want: stripping the KEM pre-key so
 * that the session falls back to X3DH. Each fails closed with a specific exception, consumes nothing, and leaves the
 * real session able to go on.
 */
class PqxdhAttackTest {
    /** Where the KEM pre-key starts in a bundle: version, identity, signed pre-key id, key and signature. */
    private static final int BUNDLE_KEM_AT = 1 + IdentityKey.ENCODED_BYTES + 4 + 32 + 64;
    /** Where the KEM pre-key id and ciphertext start in a first message with a one-time curve pre-key. */
    private static final int MESSAGE_KEM_ID_AT = 2 + IdentityKey.ENCODED_BYTES + 32 + 4 + 1 + 4;

    private final Relay relay = new Relay();
    private final Party alice = new Party("alice");
    private final Party bob = new Party("bob");

    /** Bob's bundle as an older relay or client would encode it: version 1, X3DH, no KEM pre-key. */
    private static byte[] strippedOfItsKemPreKey(PreKeyBundle b) {
        ByteWriter w = new ByteWriter().u8(1).bytes(b.identity().encode()).u32(b.signedPreKey().id())
                .bytes(b.signedPreKey().publicKey()).bytes(b.signedPreKey().signature())
                        .bool(b.oneTimePreKey() != null);
        if (b.oneTimePreKey() != null) {
            w.u32(b.oneTimePreKey().id()).bytes(b.oneTimePreKey().publicKey());
        }
        return w.toByteArray();
    }

    @Test
    void aRelayThatStripsTheKemPreKeyCannotDowngradeTheSessionToX3dh() throws Exception {
        relay.connect(2, bob);
        byte[] stripped = strippedOfItsKemPreKey(PreKeyBundle.decode(relay.bundleFor("bob")));
        PostQuantumRequiredException e = assertThrows(PostQuantumRequiredException.class,
                () -> PreKeyBundle.decode(stripped));
        assertTrue(e.getMessage().contains("no ML-KEM pre-key"), e.getMessage());
        assertFalse(alice.to("bob").hasSession(), "no session, so nothing can be sent over X3DH");
        assertThrows(NoSessionException.class, () -> alice.to("bob").encrypt(utf8("would be X3DH only")));
        assertTrue(alice.trust().trustedIdentity("bob").isEmpty(), "nothing of the refused bundle was recorded");
        // The next honest bundle sets up a post-quantum session.
        setUp(relay, alice, bob);
        assertEquals(Optional.of(SessionSetup.PQXDH), alice.to("bob").sessionSetup());
        assertEquals("hello", relay.deliver(relay.seal(alice, "bob", "hello")));
        assertEquals(Optional.of(SessionSetup.PQXDH), bob.to("alice").sessionSetup());
    }

    @Test
    void anX3dhFirstMessageIsRefusedAndConsumesNothing() throws Exception {
        relay.connect(2, bob);
        setUp(relay, alice, bob);
        PreKeyMessage pq = PreKeyMessage.decode(alice.to("bob").encrypt(utf8("hi")));
        // The same fields without the KEM ones, as an X3DH pre-key message (type 2) of an older client.
        ByteWriter w = new ByteWriter().u8(1).u8(PreKeyMessage.X3DH_TYPE).bytes(pq.initiator().encode())
                .bytes(pq.ephemeralKey()).u32(pq.signedPreKeyId()).bool(true).u32(pq.oneTimePreKeyId().getAsInt());
        byte[] x3dh = w.bytes(pq.message().encode()).toByteArray();
        assertThrows(PostQuantumRequiredException.class, () -> bob.to("alice").decrypt(x3dh));
        assertTrue(bob.store.containsPreKey(pq.oneTimePreKeyId().getAsInt()), "nothing consumed");
        assertFalse(bob.to("alice").hasSession());
        assertEquals("hi", Party.str(bob.to("alice").decrypt(pq.encode())));
    }

    @Test
    void aKemPreKeyWithABadSignatureIsRefused() throws Exception {
        Party mallory = new Party("mallory");
        relay.connect(2, bob, mallory);
        PreKeyBundle real = PreKeyBundle.decode(relay.bundleFor("bob"));
        // 1. The relay puts a KEM pre-key of its own (signed by mallory) into bob's bundle.
        SignedKemPreKey own = PreKeyBundle.decode(relay.bundleFor("mallory")).kemPreKey();
        PreKeyBundle swapped = new PreKeyBundle(real.identity(), real.signedPreKey(), real.oneTimePreKey(),
                new SignedKemPreKey(real.kemPreKey().id(), real.kemPreKey().kind(), own.publicKey(), own.signature()));
        assertThrows(InvalidSignatureException.class, () -> alice.to("bob").processPreKeyBundle(swapped));
        assertThrows(InvalidSignatureException.class, () -> PreKeyBundle.decode(swapped.encode()));
        // 2. It relabels bob's one-time KEM pre-key as his last-resort one, or moves it to another id.
        SignedKemPreKey k = real.kemPreKey();
        assertEquals(KemPreKeyKind.ONE_TIME, k.kind());
        for (SignedKemPreKey forged : new SignedKemPreKey[] {
                new SignedKemPreKey(k.id(), KemPreKeyKind.LAST_RESORT, k.publicKey(), k.signature()),
                new SignedKemPreKey(k.id() + 1, k.kind(), k.publicKey(), k.signature())}) {
            PreKeyBundle b = new PreKeyBundle(real.identity(), real.signedPreKey(), real.oneTimePreKey(), forged);
            assertThrows(InvalidSignatureException.class, () -> alice.to("bob").processPreKeyBundle(b));
        }
        // 3. Every bit of the KEM pre-key's encoding in the bundle (one per byte inside the 1568-byte key): refused.
        byte[] encoded = real.encode();
        int flips = 0;
        for (int at = BUNDLE_KEM_AT; at < BUNDLE_KEM_AT + SignedKemPreKey.ENCODED_BYTES; at++) {
            boolean inKey = at >= BUNDLE_KEM_AT + 6 && at < BUNDLE_KEM_AT + 6 + 1568;
            for (int bit = 0; bit < (inKey ? 1 : 8); bit++) {
                byte[] t = encoded.clone();
                t[at] ^= (byte) (1 << bit);
                try {
                    PreKeyBundle.decode(t);
                    fail("a bundle with KEM pre-key byte " + (at - BUNDLE_KEM_AT) + " bit " + bit + " flipped decoded");
                } catch (InvalidSignatureException | InvalidPreKeyException | InvalidEncodingException expected) {
                    flips++;
                }
            }
        }
        assertTrue(flips > 2000, "flips: " + flips);
        assertFalse(alice.to("bob").hasSession(), "no forged bundle set up a session");
        assertTrue(alice.trust().trustedIdentity("bob").isEmpty(), "and none was trusted");
    }

    @Test
    void aOneTimeKemPreKeyIsDeletedAfterUseAndCannotBeUsedAgain() throws Exception {
        relay.connect(2, bob);
        PreKeyBundle first = PreKeyBundle.decode(relay.bundleFor("bob"));
        int kemId = first.kemPreKey().id();
        alice.to("bob").processPreKeyBundle(first);
        Envelope hello = relay.seal(alice, "bob", "hello");
        assertTrue(bob.store.containsKemPreKey(kemId));
        assertEquals("hello", relay.deliver(hello));
        assertFalse(bob.store.containsKemPreKey(kemId), "one-time KEM pre-key deleted after its first use");
        // The relay hands the used KEM pre-key out again (a replayed bundle): the new session cannot start.
        Party carol = new Party("carol");
        carol.to("bob").processPreKeyBundle(new PreKeyBundle(first.identity(), first.signedPreKey(), null,
                first.kemPreKey()));
        Envelope fromCarol = relay.seal(carol, "bob", "with a used KEM pre-key");
        InvalidPreKeyException used = assertThrows(InvalidPreKeyException.class, () -> relay.deliver(fromCarol));
        assertTrue(used.getMessage().contains("KEM pre-key " + kemId), used.getMessage());
        assertFalse(bob.to("carol").hasSession());
        // A replayed first message: a duplicate within the session, and consumes nothing when the session is gone.
        assertThrows(DuplicateMessageException.class, () -> relay.deliver(hello));
        bob.store.deleteSession("alice");
        bob.to("alice").close();
        assertThrows(InvalidPreKeyException.class, () -> relay.deliver(hello));
    }

    @Test
    void theLastResortKemPreKeyServesManySessionsAndStays() throws Exception {
        relay.connect(0, bob); // no one-time keys of either kind: every bundle carries the last-resort KEM pre-key
        PreKeyBundle b1 = PreKeyBundle.decode(relay.bundleFor("bob"));
        assertEquals(KemPreKeyKind.LAST_RESORT, b1.kemPreKey().kind());
        Party carol = new Party("carol");
        alice.to("bob").processPreKeyBundle(b1);
        carol.to("bob").processPreKeyBundle(PreKeyBundle.decode(relay.bundleFor("bob")));
        Envelope fromAlice = relay.seal(alice, "bob", "one");
        assertEquals("one", relay.deliver(fromAlice));
        assertEquals("two", relay.deliver(relay.seal(carol, "bob", "two")));
        assertTrue(bob.store.containsKemPreKey(b1.kemPreKey().id()), "the last-resort key is not consumed");
        // Without one-time keys, replays are caught by the remembered base keys (PQXDH section 4.2).
        assertThrows(DuplicateMessageException.class, () -> relay.deliver(fromAlice));
    }

    @Test
    void aTamperedKemCiphertextFailsClosedAndConsumesNothing() throws Exception {
        relay.connect(2, bob);
        setUp(relay, alice, bob);
        Envelope first = relay.seal(alice, "bob", "first");
        PreKeyMessage m = PreKeyMessage.decode(first.content());
        int kemId = m.kemPreKeyId();
        int ciphertextAt = MESSAGE_KEM_ID_AT + 4;
        // Sample bits all over the ciphertext (every byte is covered by HostileRelayTest's bit flips).
        for (int at = ciphertextAt; at < ciphertextAt + 1568; at += 97) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] t = first.content().clone();
                t[at] ^= (byte) (1 << bit);
                assertThrows(InvalidMessageException.class, () -> relay.deliver(first.with(t)),
                        "ciphertext byte " + (at - ciphertextAt));
            }
        }
        // A valid ciphertext of another first message (to another of bob's KEM pre-keys): refused.
        Party otherAlice = new Party("alice");
        otherAlice.to("bob").processPreKeyBundle(PreKeyBundle.decode(relay.bundleFor("bob")));
        byte[] other = relay.seal(otherAlice, "bob", "x").content();
        byte[] spliced = first.content().clone();
        System.arraycopy(other, ciphertextAt, spliced, ciphertextAt, 1568);
        assertRefused(relay, first.with(spliced), "a ciphertext spliced from another first message");
        // The message names another KEM pre-key of bob's (his last-resort one): decapsulation with the wrong key.
        byte[] renamed = first.content().clone();
        int lastResort = PreKeys.currentLastResortKemPreKey(bob.store).orElseThrow().id();
        renamed[MESSAGE_KEM_ID_AT] = (byte) (lastResort >>> 24);
        renamed[MESSAGE_KEM_ID_AT + 1] = (byte) (lastResort >>> 16);
        renamed[MESSAGE_KEM_ID_AT + 2] = (byte) (lastResort >>> 8);
        renamed[MESSAGE_KEM_ID_AT + 3] = (byte) lastResort;
        assertThrows(InvalidMessageException.class, () -> relay.deliver(first.with(renamed)));
        assertTrue(bob.store.containsKemPreKey(kemId), "no tampered message consumed the one-time KEM pre-key");
        assertFalse(bob.to("alice").hasSession());
        assertEquals("first", relay.deliver(first), "the real message still decrypts");
        assertFalse(bob.store.containsKemPreKey(kemId));
    }

    @Test
    void aSessionAnEarlierVersionSetUpWithX3dhDecryptsButIsReplacedBeforeSending() throws Exception {
        relay.connect(2, alice, bob);
        setUp(relay, alice, bob);
        assertEquals("hi", relay.deliver(relay.seal(alice, "bob", "hi")));
        assertEquals("hi back", relay.deliver(relay.seal(bob, "alice", "hi back")));
        Envelope inFlight = relay.seal(bob, "alice", "sent before the upgrade");
        // Alice's stored record, rewritten as the version before PQXDH wrote it: every state an X3DH one.
        byte[] stored = alice.store.loadSession("bob").orElseThrow();
        alice.store.storeSession("bob", SessionRecords.asX3dhRecord(stored));
        alice.to("bob").close();
        assertEquals(Optional.of(SessionSetup.X3DH), alice.to("bob").sessionSetup());
        assertFalse(alice.to("bob").hasSession(), "an X3DH session does not count as one to send on");
        assertThrows(NoSessionException.class, () -> alice.to("bob").encrypt(utf8("not over X3DH")));
        assertEquals("sent before the upgrade", relay.deliver(inFlight), "but what arrives for it decrypts");
        // The client fetches a bundle and replaces it with a PQXDH session; bob follows.
        setUp(relay, alice, bob);
        assertEquals(Optional.of(SessionSetup.PQXDH), alice.to("bob").sessionSetup());
        assertEquals("upgraded", relay.deliver(relay.seal(alice, "bob", "upgraded")));
        assertEquals("and back", relay.deliver(relay.seal(bob, "alice", "and back")));
        assertEquals(Optional.of(SessionSetup.PQXDH), bob.to("alice").sessionSetup());
    }
}
