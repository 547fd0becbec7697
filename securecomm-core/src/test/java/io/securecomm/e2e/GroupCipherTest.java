package io.securecomm.e2e;

import static io.securecomm.e2e.Party.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The room at the sans-I/O level: members exchange sender keys over real pairwise sessions, and a
 * hostile relay forges, replays, and withholds distributions.
 */
class GroupCipherTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A room member: a pairwise party and its room cipher. */
    static final class Member {
        final Party party;
        final GroupCipher room;

        Member(String name, MutableClock clock) {
            party = new Party(name);
            room = new GroupCipher(new PendingRoomMessages(5, Duration.ofSeconds(10), clock), RANDOM);
        }

        String name() {
            return party.name;
        }
    }

    /** Sets up pairwise sessions between all members. */
    static void pairwise(Member... ms) throws Exception {
        for (int i = 0; i < ms.length; i++) {
            for (int j = i + 1; j < ms.length; j++) {
                if (!ms[i].party.to(ms[j].name()).hasSession()) {
                    PreKeyUpload u = ms[j].party.upload(1);
                    ms[i].party.to(ms[j].name()).processPreKeyBundle(u.bundle(u.oneTimePreKeys().get(0),
                            u.oneTimeKemPreKeys().get(0)));
                    // A first message lets the responder send too.
                    ms[j].party.to(ms[i].name()).decrypt(ms[i].party.to(ms[j].name()).encrypt(utf8("hello")));
                }
            }
        }
    }

    /** Sends {@code from}'s current sender key to {@code to} through their pairwise session. */
    static List<RoomEvent> distribute(Member from, Member to, SenderKeyDistribution d) throws Exception {
        byte[] wire = from.party.to(to.name()).encrypt(d.encode());
        byte[] plain = to.party.to(from.name()).decrypt(wire);
        return to.room.processDistribution(from.name(), SenderKeyDistribution.decode(plain));
    }

    static String decrypted(List<RoomEvent> events) {
        assertEquals(1, events.size(), events.toString());
        return new String(assertInstanceOf(RoomEvent.Decrypted.class, events.get(0)).plaintext(),
                StandardCharsets.UTF_8);
    }

    @Test
    void membersReadEachOtherAndRotationLocksOutTheDeparted() throws Exception {
        MutableClock clock = new MutableClock();
        Member alice = new Member("alice", clock);
        Member bob = new Member("bob", clock);
        Member carol = new Member("carol", clock);
        pairwise(alice, bob, carol);
        for (Member from : List.of(alice, bob, carol)) {
            for (Member to : List.of(alice, bob, carol)) {
                if (from != to) {
                    distribute(from, to, from.room.distribution());
                }
            }
        }
        byte[] m = alice.room.encrypt(utf8("hello room"));
        assertEquals("hello room", decrypted(bob.room.decrypt("alice", m)));
        assertEquals("hello room", decrypted(carol.room.decrypt("alice", m)));
        assertThrows(DuplicateMessageException.class, () -> bob.room.decrypt("alice", m), "replayed room message");

        // Carol leaves: every remaining member rotates before sending again.
        for (Member remaining : List.of(alice, bob)) {
            remaining.room.memberLeft("carol");
            assertTrue(remaining.room.needsRotation());
            assertThrows(IllegalStateException.class, () -> remaining.room.encrypt(utf8("too early")));
            SenderKeyDistribution fresh = remaining.room.rotate();
            for (Member other : List.of(alice, bob)) {
                if (other != remaining) {
                    distribute(remaining, other, fresh);
                }
            }
        }
        byte[] after = alice.room.encrypt(utf8("carol is gone"));
        assertEquals("carol is gone", decrypted(bob.room.decrypt("alice", after)));
        // Carol's old state cannot read it: held, then reported, never decrypted.
        assertEquals(Optional.empty(), carol.room.nextExpiry(), "nothing held, nothing due");
        Instant heldAt = clock.instant();
        List<RoomEvent> ev = carol.room.decrypt("alice", after);
        assertInstanceOf(RoomEvent.Held.class, ev.get(0));
        // Due the first instant past its maximum age (10 s here), and not a tick before.
        Instant due = carol.room.nextExpiry().orElseThrow();
        assertEquals(heldAt.plusSeconds(10).plusNanos(1), due);
        clock.advance(Duration.ofSeconds(10));
        assertTrue(carol.room.expirePending().isEmpty());
        clock.advance(Duration.ofSeconds(1));
        List<RoomEvent> expired = carol.room.expirePending();
        assertEquals(1, expired.size());
        assertEquals(RoomEvent.Reason.TIMED_OUT, ((RoomEvent.Undecryptable) expired.get(0)).reason());
    }

    @Test
    void aJoinerCannotReadEarlierMessages() throws Exception {
        MutableClock clock = new MutableClock();
        Member alice = new Member("alice", clock);
        Member dave = new Member("dave", clock);
        pairwise(alice, dave);
        byte[] early = alice.room.encrypt(utf8("before dave joined"));
        distribute(alice, dave, alice.room.distribution());
        assertThrows(DuplicateMessageException.class, () -> dave.room.decrypt("alice", early));
        assertEquals("welcome", decrypted(dave.room.decrypt("alice", alice.room.encrypt(utf8("welcome")))));
    }

    @Test
    void hostileRelayForgedReplayedAndWithheld() throws Exception {
        MutableClock clock = new MutableClock();
        Member alice = new Member("alice", clock);
        Member bob = new Member("bob", clock);
        Member mallory = new Member("mallory", clock);
        pairwise(alice, bob, mallory);
        distribute(alice, bob, alice.room.distribution());
        distribute(alice, mallory, alice.room.distribution());
        distribute(mallory, bob, mallory.room.distribution());

        // Forged as another member: Mallory knows Alice's chain key, but signs with her own key.
        byte[] genuine = alice.room.encrypt(utf8("genuine"));
        byte[] forgedBody = mallory.room.encrypt(utf8("forged as alice"));
        System.arraycopy(genuine, 2, forgedBody, 2, 4); // Alice's chain id
        assertThrows(InvalidSignatureException.class, () -> bob.room.decrypt("alice", forgedBody));
        // Mallory's own message re-attributed to Alice by the relay: no such chain for Alice -> held, then reported.
        byte[] mallorys = mallory.room.encrypt(utf8("mallory speaking"));
        assertInstanceOf(RoomEvent.Held.class, bob.room.decrypt("alice", mallorys).get(0));
        assertEquals("genuine", decrypted(bob.room.decrypt("alice", genuine)));
        // Replayed old room message.
        assertThrows(DuplicateMessageException.class, () -> bob.room.decrypt("alice", genuine));
        assertEquals("mallory speaking", decrypted(bob.room.decrypt("mallory", mallorys)));

        // Missing distribution: Carol's messages are held, then decrypted once her key arrives.
        Member carol = new Member("carol", clock);
        pairwise(alice, bob, carol);
        SenderKeyDistribution carolStart = carol.room.distribution();
        byte[] c1 = carol.room.encrypt(utf8("c1"));
        byte[] c2 = carol.room.encrypt(utf8("c2"));
        assertInstanceOf(RoomEvent.Held.class, bob.room.decrypt("carol", c2).get(0));
        assertInstanceOf(RoomEvent.Held.class, bob.room.decrypt("carol", c1).get(0));
        List<RoomEvent> released = distribute(carol, bob, carolStart);
        // Carol's two decrypted, in arrival order; the re-attributed message (held for alice) still waits.
        assertEquals(List.of(new RoomEvent.Decrypted("carol", utf8("c2")), new RoomEvent.Decrypted("carol",
                utf8("c1"))),
                released);
        clock.advance(Duration.ofSeconds(11));
        List<RoomEvent> expired = bob.room.expirePending();
        assertEquals(1, expired.size(), "the re-attributed message is reported, not dropped");
        assertEquals("alice", expired.get(0).sender());
    }

    @Test
    void heldMessagesAreBoundedAndNeverDroppedSilently() throws Exception {
        MutableClock clock = new MutableClock();
        Member bob = new Member("bob", clock);
        Member eve = new Member("eve", clock);
        int held = 0;
        int reported = 0;
        for (int i = 0; i < 8; i++) {
            for (RoomEvent e : bob.room.decrypt("eve", eve.room.encrypt(utf8("e" + i)))) {
                if (e instanceof RoomEvent.Held) {
                    held++;
                } else if (e instanceof RoomEvent.Undecryptable u) {
                    assertEquals(RoomEvent.Reason.OVERFLOW, u.reason());
                    reported++;
                }
            }
        }
        assertEquals(8, held);
        assertEquals(3, reported, "bound of 5: the 3 oldest were reported");
        List<RoomEvent> left = bob.room.memberLeft("eve");
        assertEquals(5, left.size());
        left.forEach(e -> assertEquals(RoomEvent.Reason.MEMBER_LEFT, ((RoomEvent.Undecryptable) e).reason()));
    }

    /**
     * Issue 22, point 3: a member that never held this member's key (it published no pre-keys) costs no rotation when
     * it leaves; its held messages are still reported. One that may hold it, or any departure the caller is unsure
     * of, does.
     */
    @Test
    void aMemberThatNeverHeldTheKeyLeavesWithoutARotation() throws Exception {
        MutableClock clock = new MutableClock();
        Member alice = new Member("alice", clock);
        Member bob = new Member("bob", clock);
        Member mute = new Member("mute", clock);
        pairwise(alice, bob);
        try (SenderKeyDistribution own = alice.room.distribution()) {
            distribute(alice, bob, own);
        }
        for (String text : List.of("one", "two")) { // under a chain alice was never sent: held
            byte[] m = mute.room.encrypt(utf8(text));
            assertEquals(List.of(new RoomEvent.Held("mute")), alice.room.decrypt("mute", m));
        }
        List<RoomEvent> left = alice.room.memberLeft("mute", false);
        assertFalse(alice.room.needsRotation(), "alice's key never reached it");
        assertEquals(2, left.size(), "its held messages are reported all the same: " + left);
        assertEquals("same chain", decrypted(bob.room.decrypt("alice", alice.room.encrypt(utf8("same chain")))));
        alice.room.memberLeft("bob", true);
        assertTrue(alice.room.needsRotation());
        alice.room.memberLeft("carol", false);
        assertTrue(alice.room.needsRotation(), "a later keyless departure does not undo a needed rotation");
    }

    /**
     * Issue 22, point 6: a held message keeps the time it arrived. A key of another chain from its sender used to
     * release and re-hold it, restarting its 10 s here (30 s by default): a message held at 0 s and a new key at 7 s
     * made it wait until 17 s. Now it is given up at 10 s, and one of the chain that arrives meanwhile is read.
     */
    @Test
    void aNewKeyFromTheSenderDoesNotRestartAHeldMessagesClock() throws Exception {
        MutableClock clock = new MutableClock();
        Member alice = new Member("alice", clock);
        Member bob = new Member("bob", clock);
        pairwise(alice, bob);
        byte[] lost = alice.room.encrypt(utf8("under a key bob never gets"));
        assertEquals(List.of(new RoomEvent.Held("alice")), bob.room.decrypt("alice", lost));
        Instant deadline = bob.room.nextExpiry().orElseThrow();
        clock.advance(Duration.ofSeconds(7));
        alice.room.memberLeft("carol");
        List<RoomEvent> onNewKey;
        try (SenderKeyDistribution rotated = alice.room.rotate()) {
            onNewKey = distribute(alice, bob, rotated);
        }
        assertEquals(List.of(), onNewKey, "the held message is of another chain: it stays held");
        assertEquals(deadline, bob.room.nextExpiry().orElseThrow(), "with its deadline unchanged");
        byte[] fresh = alice.room.encrypt(utf8("under the new key"));
        assertEquals("under the new key", decrypted(bob.room.decrypt("alice", fresh)));
        clock.advance(Duration.ofSeconds(3).plusNanos(1));
        List<RoomEvent> expired = bob.room.expirePending();
        assertEquals(1, expired.size(), "given up 10 s after it arrived, not 10 s after the new key");
        assertEquals(RoomEvent.Reason.TIMED_OUT, ((RoomEvent.Undecryptable) expired.get(0)).reason());
    }

    /** Issue 22, point 6: what is still held when the holder's own session ends is reported, not dropped. */
    @Test
    void whatIsHeldWhenTheHoldersSessionEndsIsReported() throws Exception {
        MutableClock clock = new MutableClock();
        Member alice = new Member("alice", clock);
        Member bob = new Member("bob", clock);
        bob.room.decrypt("alice", alice.room.encrypt(utf8("one")));
        bob.room.decrypt("alice", alice.room.encrypt(utf8("two")));
        List<RoomEvent> given = bob.room.giveUpHeld();
        assertEquals(2, given.size());
        given.forEach(e -> assertEquals(RoomEvent.Reason.SESSION_ENDED, ((RoomEvent.Undecryptable) e).reason()));
        assertTrue(bob.room.nextExpiry().isEmpty());
    }
}
