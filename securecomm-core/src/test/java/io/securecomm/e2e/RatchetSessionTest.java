package io.securecomm.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** X3DH agreement and the Double Ratchet: ordering, replays, skip bound, forward secrecy, post-compromise security. */
class RatchetSessionTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A pair of sessions set up with PQXDH: alice initiated, bob responded. */
    record Pair(RatchetSession alice, RatchetSession bob, byte[] ad) {}

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static KemPreKeyRecord kem(IdentityKeyPair owner, int id, KemPreKeyKind kind) {
        return KemPreKeyRecord.generate(owner, id, kind, Instant.EPOCH, RANDOM);
    }

    static Pair pair(boolean withOneTimePreKey) throws Exception {
        IdentityKeyPair a = IdentityKeyPair.generate(RANDOM);
        IdentityKeyPair b = IdentityKeyPair.generate(RANDOM);
        SignedPreKeyRecord spk = SignedPreKeyRecord.generate(b, 7, Instant.EPOCH, RANDOM);
        OneTimePreKeyRecord opk = withOneTimePreKey ? OneTimePreKeyRecord.generate(11, RANDOM) : null;
        KemPreKeyRecord kem = kem(b, 13, withOneTimePreKey ? KemPreKeyKind.ONE_TIME : KemPreKeyKind.LAST_RESORT);
        PreKeyBundle bundle = new PreKeyBundle(b.publicKey(), spk.publicPreKey(),
                opk == null ? null : opk.publicPreKey(), kem.publicPreKey());
        try (Pqxdh.Initiation x = Pqxdh.initiate(a, bundle, RANDOM)) {
            byte[] skBob = Pqxdh.respond(b, spk, opk, kem, a.publicKey(), x.ephemeralPublicKey(), x.kemCiphertext());
            assertArrayEquals(x.sharedSecret(), skBob, "both sides derive the same SK");
            byte[] adBob = Pqxdh.associatedData(a.publicKey(), b.publicKey());
            assertArrayEquals(x.associatedData(), adBob, "both sides derive the same AD");
            RatchetSession alice = RatchetSession.initAlice(x.sharedSecret(), x.associatedData(),
                    x.responderRatchetKey(), RANDOM);
            RatchetSession bob = RatchetSession.initBob(skBob, adBob, spk.privateKeyCopy(), spk.publicKeyCopy(),
                    RANDOM);
            return new Pair(alice, bob, adBob);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void pqxdhBothSidesAgreeAndTalk(boolean withOneTimePreKey) throws Exception {
        Pair p = pair(withOneTimePreKey);
        assertFalse(p.bob().canEncrypt(), "responder cannot send before it receives");
        assertArrayEquals(utf8("hi bob"), p.bob().decrypt(p.alice().encrypt(utf8("hi bob"))));
        assertArrayEquals(utf8("hi alice"), p.alice().decrypt(p.bob().encrypt(utf8("hi alice"))));
        assertArrayEquals(utf8("again"), p.bob().decrypt(p.alice().encrypt(utf8("again"))));
    }

    @Test
    void pqxdhWithAnotherPreKeyOrAChangedCiphertextDisagrees() throws Exception {
        IdentityKeyPair a = IdentityKeyPair.generate(RANDOM);
        IdentityKeyPair b = IdentityKeyPair.generate(RANDOM);
        SignedPreKeyRecord spk = SignedPreKeyRecord.generate(b, 1, Instant.EPOCH, RANDOM);
        OneTimePreKeyRecord opk = OneTimePreKeyRecord.generate(2, RANDOM);
        OneTimePreKeyRecord other = OneTimePreKeyRecord.generate(2, RANDOM);
        KemPreKeyRecord kem = kem(b, 3, KemPreKeyKind.ONE_TIME);
        KemPreKeyRecord otherKem = kem(b, 3, KemPreKeyKind.ONE_TIME);
        try (Pqxdh.Initiation x = Pqxdh.initiate(a, new PreKeyBundle(b.publicKey(), spk.publicPreKey(),
                opk.publicPreKey(), kem.publicPreKey()), RANDOM)) {
            byte[] ek = x.ephemeralPublicKey();
            byte[] ct = x.kemCiphertext();
            assertArrayEquals(x.sharedSecret(), Pqxdh.respond(b, spk, opk, kem, a.publicKey(), ek, ct));
            assertFalse(Arrays.equals(x.sharedSecret(),
                    Pqxdh.respond(b, spk, other, kem, a.publicKey(), ek, ct)), "another one-time curve pre-key");
            assertFalse(Arrays.equals(x.sharedSecret(),
                    Pqxdh.respond(b, spk, null, kem, a.publicKey(), ek, ct)), "no one-time curve pre-key");
            assertFalse(Arrays.equals(x.sharedSecret(),
                    Pqxdh.respond(b, spk, opk, otherKem, a.publicKey(), ek, ct)), "another KEM pre-key");
            ct[0] ^= 1;
            assertFalse(Arrays.equals(x.sharedSecret(),
                    Pqxdh.respond(b, spk, opk, kem, a.publicKey(), ek, ct)), "a changed KEM ciphertext");
        }
    }

    @Test
    void pqxdhRefusesBundlesWithBadSignatures() throws Exception {
        IdentityKeyPair a = IdentityKeyPair.generate(RANDOM);
        IdentityKeyPair b = IdentityKeyPair.generate(RANDOM);
        IdentityKeyPair mallory = IdentityKeyPair.generate(RANDOM);
        SignedPreKeyRecord spk = SignedPreKeyRecord.generate(b, 1, Instant.EPOCH, RANDOM);
        SignedPreKeyRecord evil = SignedPreKeyRecord.generate(mallory, 1, Instant.EPOCH, RANDOM);
        SignedKemPreKey kem = kem(b, 2, KemPreKeyKind.LAST_RESORT).publicPreKey();
        SignedKemPreKey evilKem = kem(mallory, 2, KemPreKeyKind.LAST_RESORT).publicPreKey();
        PreKeyBundle forged = new PreKeyBundle(b.publicKey(), evil.publicPreKey(), null, kem);
        assertThrows(InvalidSignatureException.class, () -> Pqxdh.initiate(a, forged, RANDOM));
        PreKeyBundle forgedKem = new PreKeyBundle(b.publicKey(), spk.publicPreKey(), null, evilKem);
        assertThrows(InvalidSignatureException.class, () -> Pqxdh.initiate(a, forgedKem, RANDOM));
    }

    /** One message in flight. */
    record Flight(boolean toBob, RatchetMessage message, String plaintext) {}

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 2026})
    void longRandomInterleavingWithReorderingDecryptsEverythingExactlyOnce(long seed) throws Exception {
        Random rnd = new Random(seed);
        Pair p = pair(rnd.nextBoolean());
        List<Flight> inFlight = new ArrayList<>();
        Set<String> delivered = new HashSet<>();
        int sent = 0;
        for (int step = 0; step < 1500; step++) {
            int action = rnd.nextInt(4);
            if (action == 0 || (action == 1 && !p.bob().canEncrypt())) {
                String pt = "a->b " + sent++;
                inFlight.add(new Flight(true, p.alice().encrypt(utf8(pt)), pt));
            } else if (action == 1) {
                String pt = "b->a " + sent++;
                inFlight.add(new Flight(false, p.bob().encrypt(utf8(pt)), pt));
            } else if (!inFlight.isEmpty()) {
                // Reorder within a window far below MAX_SKIP.
                Flight f = inFlight.remove(rnd.nextInt(Math.min(inFlight.size(), 40)));
                deliver(p, f, delivered, seed);
            }
        }
        while (!inFlight.isEmpty()) {
            deliver(p, inFlight.remove(rnd.nextInt(inFlight.size())), delivered, seed);
        }
        assertEquals(sent, delivered.size(), "every message decrypted exactly once");
        assertEquals(0, p.alice().skippedKeyCount() + p.bob().skippedKeyCount(),
                "no keys left over: all used and deleted");
    }

    private static void deliver(Pair p, Flight f, Set<String> delivered, long seed) throws Exception {
        RatchetSession to = f.toBob() ? p.bob() : p.alice();
        byte[] pt = to.decrypt(f.message());
        assertEquals(f.plaintext(), new String(pt, StandardCharsets.UTF_8), "seed " + seed);
        assertTrue(delivered.add(f.plaintext()), "decrypted twice, seed " + seed);
        assertThrows(DuplicateMessageException.class, () -> to.decrypt(f.message()), "replay, seed " + seed);
    }

    @Test
    void replaysFailAndLeaveTheStateAlone() throws Exception {
        Pair p = pair(true);
        RatchetMessage m1 = p.alice().encrypt(utf8("one"));
        RatchetMessage m2 = p.alice().encrypt(utf8("two"));
        RatchetMessage m3 = p.alice().encrypt(utf8("three"));
        p.bob().decrypt(m2);
        p.bob().decrypt(m1); // from the skipped store
        byte[] before = p.bob().encode();
        assertThrows(DuplicateMessageException.class, () -> p.bob().decrypt(m1));
        assertThrows(DuplicateMessageException.class, () -> p.bob().decrypt(m2));
        assertArrayEquals(before, p.bob().encode(), "a refused replay changes nothing");
        assertArrayEquals(utf8("three"), p.bob().decrypt(m3));
        // Replay across a DH step: an old chain's message after both sides ratcheted.
        p.alice().decrypt(p.bob().encrypt(utf8("reply")));
        p.bob().decrypt(p.alice().encrypt(utf8("new chain")));
        assertThrows(DuplicateMessageException.class, () -> p.bob().decrypt(m3));
    }

    @Test
    void exceedingTheSkipBoundFailsCleanly() throws Exception {
        Pair p = pair(true);
        List<RatchetMessage> ms = new ArrayList<>();
        for (int i = 0; i <= RatchetSession.MAX_SKIP + 1; i++) {
            ms.add(p.alice().encrypt(utf8("m" + i)));
        }
        byte[] before = p.bob().encode();
        TooManySkippedMessagesException e = assertThrows(TooManySkippedMessagesException.class,
                () -> p.bob().decrypt(ms.get(RatchetSession.MAX_SKIP + 1)));
        assertEquals(RatchetSession.MAX_SKIP, e.limit());
        assertArrayEquals(before, p.bob().encode(), "state unchanged");
        // Exactly MAX_SKIP skipped keys is allowed.
        assertArrayEquals(utf8("m" + RatchetSession.MAX_SKIP), p.bob().decrypt(ms.get(RatchetSession.MAX_SKIP)));
        assertEquals(RatchetSession.MAX_SKIP, p.bob().skippedKeyCount());
        assertArrayEquals(utf8("m0"), p.bob().decrypt(ms.get(0)));
        assertArrayEquals(utf8("m" + (RatchetSession.MAX_SKIP + 1)), p.bob().decrypt(ms.get(RatchetSession.MAX_SKIP
                + 1)));
    }

    @Test
    void aForgedHugeCounterIsRefusedWithoutWork() throws Exception {
        Pair p = pair(true);
        RatchetMessage m = p.alice().encrypt(utf8("x"));
        RatchetMessage forged = new RatchetMessage(m.dh(), m.pn(), -1, m.ciphertext());
        assertThrows(TooManySkippedMessagesException.class, () -> p.bob().decrypt(forged));
        RatchetMessage forgedPn = new RatchetMessage(m.dh(), Integer.MAX_VALUE, m.n(), m.ciphertext());
        assertThrows(TooManySkippedMessagesException.class, () -> p.bob().decrypt(forgedPn));
        assertArrayEquals(utf8("x"), p.bob().decrypt(m));
    }

    @Test
    void everyBitFlipIsRejectedAndTheGenuineMessageStillDecrypts() throws Exception {
        Pair p = pair(true);
        p.bob().decrypt(p.alice().encrypt(utf8("warm up")));
        p.alice().decrypt(p.bob().encrypt(utf8("reply")));
        RatchetMessage m = p.alice().encrypt(utf8("the secret plan"));
        byte[] enc = m.encode();
        byte[] before = p.bob().encode();
        for (int bit = 0; bit < enc.length * 8; bit++) {
            byte[] t = enc.clone();
            t[bit / 8] ^= (byte) (1 << (bit % 8));
            try {
                byte[] pt = p.bob().decrypt(RatchetMessage.decode(t));
                fail("bit " + bit + " flipped yet decrypted to " + pt.length + " bytes");
            } catch (InvalidMessageException | InvalidEncodingException | TooManySkippedMessagesException
                    | DuplicateMessageException expected) {
                assertNotNull(expected.getMessage());
            }
        }
        assertArrayEquals(before, p.bob().encode(), "no rejected message changed the state");
        for (int len = 0; len < enc.length; len++) {
            byte[] t = Arrays.copyOf(enc, len);
            assertThrows(E2eException.class, () -> p.bob().decrypt(RatchetMessage.decode(t)), "truncated to " + len);
        }
        assertArrayEquals(utf8("the secret plan"), p.bob().decrypt(m));
    }

    @Test
    void forwardSecrecySnapshotAfterDecryptionCannotDecryptAgain() throws Exception {
        Pair p = pair(true);
        RatchetMessage m1 = p.alice().encrypt(utf8("first"));
        RatchetMessage m2 = p.alice().encrypt(utf8("second"));
        RatchetSession snapshotBefore = RatchetSession.decode(p.bob().encode(), RANDOM);
        p.bob().decrypt(m2);
        p.bob().decrypt(m1);
        // An attacker who steals Bob's state now (after the keys were used and deleted) cannot read m1 or m2.
        RatchetSession stolen = RatchetSession.decode(p.bob().encode(), RANDOM);
        assertThrows(DuplicateMessageException.class, () -> stolen.decrypt(m1));
        assertThrows(DuplicateMessageException.class, () -> stolen.decrypt(m2));
        assertEquals(0, stolen.skippedKeyCount());
        // The snapshot taken before could, which shows the test is able to fail.
        assertArrayEquals(utf8("first"), snapshotBefore.decrypt(m1));
        // After a DH step the stolen state cannot read older chains either, even via the header's counters.
        p.alice().decrypt(p.bob().encrypt(utf8("reply")));
        RatchetMessage m3 = p.alice().encrypt(utf8("third"));
        p.bob().decrypt(m3);
        RatchetSession stolenLater = RatchetSession.decode(p.bob().encode(), RANDOM);
        assertThrows(E2eException.class, () -> stolenLater.decrypt(m3));
        assertThrows(E2eException.class, () -> stolenLater.decrypt(m1));
    }

    @Test
    void postCompromiseSecurityRecoversFromALeakedChainKeyAfterADhStep() throws Exception {
        Pair p = pair(true);
        byte[] leaked = p.alice().sendingChainKeyForTesting();
        RatchetMessage m1 = p.alice().encrypt(utf8("leaked chain"));
        // With the leaked chain key the attacker reads the messages of that chain...
        byte[] mk = ChainCrypto.KDF_CK(leaked)[1];
        assertArrayEquals(utf8("leaked chain"), RatchetSession.decryptWithMessageKeyForTesting(mk, p.ad(), m1));
        p.bob().decrypt(m1);
        // ...but after a fresh DH ratchet step (Bob replies, Alice answers) the new chain is out of reach.
        p.alice().decrypt(p.bob().encrypt(utf8("reply")));
        RatchetMessage m2 = p.alice().encrypt(utf8("after recovery"));
        byte[] ck = leaked.clone();
        for (int i = 0; i < 50; i++) {
            byte[][] out = ChainCrypto.KDF_CK(ck);
            ck = out[0];
            byte[] guess = out[1];
            assertThrows(InvalidMessageException.class,
                    () -> RatchetSession.decryptWithMessageKeyForTesting(guess, p.ad(), m2));
        }
        assertArrayEquals(utf8("after recovery"), p.bob().decrypt(m2));
    }

    @Test
    void stateSurvivesEncodeDecodeMidConversation() throws Exception {
        Pair p = pair(false);
        RatchetMessage skipped = p.alice().encrypt(utf8("late"));
        p.bob().decrypt(p.alice().encrypt(utf8("early")));
        RatchetSession bob2 = RatchetSession.decode(p.bob().encode(), RANDOM);
        assertArrayEquals(utf8("late"), bob2.decrypt(skipped));
        RatchetMessage reply = bob2.encrypt(utf8("from restored bob"));
        assertArrayEquals(utf8("from restored bob"), p.alice().decrypt(reply));
        assertThrows(InvalidEncodingException.class, () -> RatchetSession.decode(new byte[] {9}, RANDOM));
    }

    @Test
    void toStringIsRedactedAndCloseWipes() throws Exception {
        Pair p = pair(true);
        assertFalse(p.alice().toString().matches(".*[0-9a-f]{16}.*"));
        p.alice().close();
        assertThrows(IllegalStateException.class, () -> p.alice().encrypt(utf8("x")));
    }
}
