package io.securecomm.e2e;

import static io.securecomm.e2e.Party.str;
import static io.securecomm.e2e.Party.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A hostile relay between in-memory parties, at the sans-I/O level: it flips bits, truncates, replays,
 * reorders, drops and re-addresses envelopes, and substitutes pre-key bundles. Every case must end as
 * the specification says (a specific rejection, or a detected identity change), never as a wrong
 * plaintext, and must leave the sessions able to continue.
 */
class HostileRelayTest {

    /** An envelope as the relay carries it: addressing in the clear, content opaque. */
    record Envelope(String from, String to, byte[] content) {
        /** The same content, as the relay could claim it was sent and address it. */
        Envelope as(String claimedFrom, String claimedTo) {
            return new Envelope(claimedFrom, claimedTo, content);
        }

        /** The same addressing around other content. */
        Envelope with(byte[] otherContent) {
            return new Envelope(from, to, otherContent);
        }
    }

    /** The relay test double: stores uploads, hands out bundles, queues envelopes. */
    static final class Relay {
        final Map<String, PreKeyUpload> uploads = new HashMap<>();
        final Map<String, Deque<PublicPreKey>> oneTime = new HashMap<>();
        final Map<String, Deque<SignedKemPreKey>> oneTimeKem = new HashMap<>();
        final Map<String, Party> parties = new HashMap<>();
        final List<Envelope> queue = new ArrayList<>();

        void connect(int oneTimeCount, Party... ps) throws Exception {
            for (Party p : ps) {
                PreKeyUpload u = PreKeyUpload.decode(p.upload(oneTimeCount).encode());
                uploads.put(p.name, u);
                oneTime.computeIfAbsent(p.name, n -> new ArrayDeque<>()).addAll(u.oneTimePreKeys());
                oneTimeKem.computeIfAbsent(p.name, n -> new ArrayDeque<>()).addAll(u.oneTimeKemPreKeys());
                parties.put(p.name, p);
            }
        }

        byte[] bundleFor(String name) {
            return uploads.get(name).bundle(oneTime.get(name).pollFirst(), oneTimeKem.get(name).pollFirst()).encode();
        }

        /** Encrypts as {@code from} would send it, and hands the envelope to the test instead of queuing it. */
        Envelope seal(Party from, String to, String text) throws Exception {
            return new Envelope(from.name, to, from.to(to).encrypt(utf8(text)));
        }

        void send(Party from, String to, String text) throws Exception {
            queue.add(seal(from, to, text));
        }

        /** Delivers as addressed; the recipient decrypts with its cipher for the stated sender. */
        String deliver(Envelope e) throws E2eException {
            return str(parties.get(e.to()).to(e.from()).decrypt(e.content()));
        }
    }

    /** Fresh for each test (JUnit makes a new instance per test); each test connects whom it needs. */
    private final Relay relay = new Relay();
    private final Party alice = new Party("alice");
    private final Party bob = new Party("bob");

    static void setUp(Relay relay, Party alice, Party bob) throws Exception {
        alice.to(bob.name).processPreKeyBundle(PreKeyBundle.decode(relay.bundleFor(bob.name)));
    }

    /** Delivers a hostile variant and checks it is refused with an E2eException, never decrypted. */
    static void assertRefused(Relay relay, Envelope hostile, String what) {
        try {
            String pt = relay.deliver(hostile);
            fail(what + ": hostile envelope decrypted to '" + pt + "'");
        } catch (E2eException expected) {
            assertTrue(expected.getMessage() != null && !expected.getMessage().isEmpty());
        }
    }

    /**
     * Delivers every one-bit flip of {@code e}'s content, but only the lowest bit of each byte in the sparse ranges
     * ({@code [from, to)} pairs), and checks each is refused.
     *
     * @return how many flips were delivered
     */
    static int assertEveryBitFlipRefused(Relay relay, Envelope e, String what, int... sparse) {
        byte[] b = e.content();
        int flipped = 0;
        for (int bit = 0; bit < b.length * 8; bit++) {
            int at = bit / 8;
            boolean inSparse = false;
            for (int r = 0; r + 1 < sparse.length; r += 2) {
                inSparse |= at >= sparse[r] && at < sparse[r + 1];
            }
            if (inSparse && bit % 8 != 0) {
                continue;
            }
            byte[] t = b.clone();
            t[at] ^= (byte) (1 << (bit % 8));
            assertRefused(relay, e.with(t), what);
            flipped++;
        }
        return flipped;
    }

    @Test
    void everyBitFlipOfPreKeyAndRatchetMessagesIsRejected() throws Exception {
        relay.connect(5, alice, bob);
        setUp(relay, alice, bob);
        Envelope first = relay.seal(alice, "bob", "first, a pre-key message");
        // Every bit, except inside the identity key (bytes 2..129) and the KEM ciphertext, where one bit per byte
        // suffices: every bit flip of a binding signature is already covered by the Ed25519 tests, and a changed
        // ciphertext decapsulates to an unrelated secret wherever the change is (ML-KEM's implicit rejection); each
        // flip costs a signature verification or a PQXDH.
        int kemCiphertextAt = 2 + IdentityKey.ENCODED_BYTES + 32 + 4 + 1 + 4 + 4; // with a one-time curve pre-key
        int flipped = assertEveryBitFlipRefused(relay, first, "pre-key message bit flip",
                2, 2 + IdentityKey.ENCODED_BYTES, kemCiphertextAt, kemCiphertextAt + 1568);
        assertFalse(bob.to("alice").hasSession(), "no rejected message created a session");
        assertEquals("first, a pre-key message", relay.deliver(first));
        assertEquals("a reply", relay.deliver(relay.seal(bob, "alice", "a reply")));
        Envelope second = relay.seal(alice, "bob", "a ratchet message");
        flipped += assertEveryBitFlipRefused(relay, second, "ratchet message bit flip");
        for (int len = 0; len < second.content().length; len++) {
            assertRefused(relay, second.with(Arrays.copyOf(second.content(), len)), "truncated");
        }
        assertEquals("a ratchet message", relay.deliver(second), "the session survived every hostile variant");
        System.out.println("hostile relay: " + flipped + " bit flips rejected");
    }

    @Test
    void replaysReorderingAndDropsEndAsSpecified() throws Exception {
        relay.connect(5, alice, bob);
        setUp(relay, alice, bob);
        Random rnd = new Random(7);
        List<Envelope> seen = new ArrayList<>();
        int delivered = 0;
        for (int round = 0; round < 30; round++) {
            for (int i = 0; i < 5; i++) {
                relay.send(alice, "bob", "a" + round + "." + i);
            }
            if (bob.to("alice").hasSession()) {
                for (int i = 0; i < 3; i++) {
                    relay.send(bob, "alice", "b" + round + "." + i);
                }
            }
            Collections.shuffle(relay.queue, rnd);
            while (!relay.queue.isEmpty()) {
                Envelope e = relay.queue.remove(0);
                if (rnd.nextInt(5) == 0) {
                    continue; // dropped: later messages must still decrypt
                }
                String pt = relay.deliver(e);
                assertTrue(pt.startsWith(e.from().substring(0, 1)), "plaintext from the right sender");
                seen.add(e);
                delivered++;
            }
            // Replay a few earlier envelopes.
            for (int i = 0; i < 3 && !seen.isEmpty(); i++) {
                Envelope old = seen.get(rnd.nextInt(seen.size()));
                assertThrows(DuplicateMessageException.class, () -> relay.deliver(old));
            }
        }
        assertTrue(delivered > 100, "the conversation went on: " + delivered);
    }

    @Test
    void reAddressedEnvelopesAreRejected() throws Exception {
        Party carol = new Party("carol");
        relay.connect(5, alice, bob, carol);
        setUp(relay, alice, bob);
        setUp(relay, carol, bob);
        setUp(relay, alice, carol);
        Envelope toBob = relay.seal(alice, "bob", "for bob");
        Envelope carolToBob = relay.seal(carol, "bob", "carol to bob");
        Envelope toCarol = relay.seal(alice, "carol", "for carol");
        // Alice's message to Bob delivered to Carol (Carol has never heard from Alice over this message's keys).
        assertRefused(relay, toBob.as("alice", "carol"), "delivered to the wrong recipient");
        // Carol's message to Bob re-attributed to Alice.
        assertRefused(relay, carolToBob.as("alice", "bob"), "wrong sender (first contact)");
        assertEquals("for bob", relay.deliver(toBob));
        assertEquals("carol to bob", relay.deliver(carolToBob));
        assertEquals("for carol", relay.deliver(toCarol));
        // Now with established sessions on both sides.
        Envelope bobToAlice = relay.seal(bob, "alice", "bob to alice");
        Envelope bobToCarol = relay.seal(bob, "carol", "bob to carol");
        assertRefused(relay, bobToAlice.as("bob", "carol"), "re-addressed ratchet message");
        assertRefused(relay, bobToAlice.as("carol", "alice"), "re-attributed ratchet message");
        assertEquals("bob to alice", relay.deliver(bobToAlice));
        assertEquals("bob to carol", relay.deliver(bobToCarol));
        // A pre-key message whose identity names a sender the recipient knows under another key: it does not
        // authenticate as bob's (the names are in the AD), so it is refused and records no identity change.
        Party dave = new Party("dave");
        relay.connect(1, dave);
        setUp(relay, dave, alice);
        Envelope daveToAlice = relay.seal(dave, "alice", "hi alice");
        assertEquals(PreKeyMessage.TYPE, daveToAlice.content()[1]);
        assertThrows(InvalidMessageException.class, () -> relay.deliver(daveToAlice.as("bob", "alice")));
        assertTrue(alice.trust().pendingChange("bob").isEmpty());
        assertEquals("hi alice", relay.deliver(daveToAlice));
    }

    @Test
    void substitutedBundlesAreCaught() throws Exception {
        Party mallory = new Party("mallory");
        relay.connect(5, alice, bob, mallory);
        setUp(relay, alice, bob);
        relay.deliver(relay.seal(alice, "bob", "hello"));

        // 1. The relay signs a signed pre-key of its own into Bob's bundle: the signature check refuses it.
        PreKeyUpload bobs = relay.uploads.get("bob");
        SignedPublicPreKey malloryKey = relay.uploads.get("mallory").signedPreKey();
        PreKeyBundle spkSwap = new PreKeyBundle(bobs.identity(),
                new SignedPublicPreKey(bobs.signedPreKey().id(), malloryKey.publicKey(), malloryKey.signature()), null,
                bobs.lastResortKemPreKey());
        Party alice2 = new Party("alice");
        assertThrows(InvalidSignatureException.class, () -> alice2.to("bob").processPreKeyBundle(spkSwap));
        assertThrows(InvalidSignatureException.class, () -> PreKeyBundle.decode(spkSwap.encode()));
        assertFalse(alice2.to("bob").hasSession());

        // 2. The relay hands out Mallory's whole bundle as Bob's: a known peer's key changed -> detected.
        PreKeyBundle whole = PreKeyBundle.decode(relay.bundleFor("mallory"));
        UntrustedIdentityException e = assertThrows(UntrustedIdentityException.class,
                () -> alice.to("bob").processPreKeyBundle(whole));
        assertEquals(mallory.identity(), e.change().current());
        // Alice's client refuses to send to bob until she decides; the safety number with the new key does not
        // match what bob reads out, so she rejects the change and the real session goes on.
        assertThrows(UntrustedIdentityException.class, () -> alice.to("bob").encrypt(utf8("blocked")));
        assertNotEquals(SafetyNumber.of(alice.identity(), "alice", bob.identity(), "bob"),
                SafetyNumber.of(alice.identity(), "alice", e.change().current(), "bob"));
        alice.trust().rejectChange("bob");
        assertEquals("hello again", relay.deliver(relay.seal(alice, "bob", "hello again")),
                "the real session is untouched");

        // 3. For a first contact, trust on first use cannot tell; the safety numbers differ.
        Party dave = new Party("dave");
        dave.to("bob").processPreKeyBundle(PreKeyBundle.decode(relay.bundleFor("mallory")));
        assertNotEquals(SafetyNumber.of(dave.identity(), "dave", bob.identity(), "bob"),
                SafetyNumber.of(dave.identity(), "dave", dave.to("bob").remoteIdentity().orElseThrow(), "bob"));

        // 4. The relay swaps the one-time pre-key for one of its own: Bob cannot decrypt, and nothing is consumed.
        Party erin = new Party("erin");
        relay.connect(1, erin);
        PublicPreKey relayOwn = OneTimePreKeyRecord.generate(relay.oneTime.get("bob").peekFirst().id(),
                Party.RANDOM).publicPreKey();
        erin.to("bob").processPreKeyBundle(relay.uploads.get("bob").bundle(relayOwn, null));
        byte[] fromErin = erin.to("bob").encrypt(utf8("hi bob"));
        assertThrows(InvalidMessageException.class, () -> bob.to("erin").decrypt(fromErin));
        assertTrue(bob.store.containsPreKey(relayOwn.id()), "the real one-time pre-key was not consumed");
        assertFalse(bob.to("erin").hasSession());
        PublicPreKey unknown = OneTimePreKeyRecord.generate(123456789, Party.RANDOM).publicPreKey();
        Party frank = new Party("frank");
        frank.to("bob").processPreKeyBundle(relay.uploads.get("bob").bundle(unknown, null));
        assertThrows(InvalidPreKeyException.class, () -> bob.to("frank").decrypt(frank.to("bob").encrypt(utf8("x"))));
    }

    @Test
    void aConsumedOneTimePreKeyCannotBeReplayedIntoANewSession() throws Exception {
        relay.connect(2, bob);
        setUp(relay, alice, bob);
        Envelope first = relay.seal(alice, "bob", "once");
        assertEquals("once", relay.deliver(first));
        // Even if Bob lost the session, the pre-key is gone. (Closing the cipher makes it forget the session it keeps
        // in memory, as a restart would: it then reads the store, where the session is gone.)
        bob.store.deleteSession("alice");
        bob.to("alice").close();
        assertThrows(InvalidPreKeyException.class, () -> relay.deliver(first));
    }
}
