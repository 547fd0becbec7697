package io.securecomm.e2e;

import static io.securecomm.e2e.Party.str;
import static io.securecomm.e2e.Party.utf8;
import static io.securecomm.e2e.SessionCipherTest.bundleOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Attacks on how trust is bound to a peer, at the sans-I/O level: the relay (which answers bundle requests and
 * carries every envelope) tries to get text it wrote shown as coming from a verified peer, to slip a new key in
 * under a name the user trusts, or to block a conversation with one forged message. Each must end in a refusal or
 * a warning, never in the forged text and never in a silent re-pin.
 */
class TrustBindingAttackTest {

    @Test
    void anArchivedSessionOfAReplacedIdentityNeverDecryptsAgain() throws Exception {
        Party bob = new Party("bob");
        Party alice = new Party("alice");
        Party mallory = new Party("alice"); // the relay's own keys, under alice's name
        // First contact: the relay answers bob's bundle request for alice with mallory's bundle; bob pins it.
        bob.to("alice").processPreKeyBundle(bundleOf(mallory));
        assertEquals("hi alice", str(mallory.to("bob").decrypt(bob.to("alice").encrypt(utf8("hi alice")))));
        assertEquals("hi bob", str(bob.to("alice").decrypt(mallory.to("bob").encrypt(utf8("hi bob")))));

        // The real alice writes: a changed identity, refused until bob decides.
        alice.to("bob").processPreKeyBundle(bundleOf(bob));
        byte[] fromAlice = alice.to("bob").encrypt(utf8("it is the real alice"));
        assertThrows(UntrustedIdentityException.class, () -> bob.to("alice").decrypt(fromAlice));
        // Bob compares safety numbers with the real alice, accepts her key and marks it verified.
        bob.trust().acceptIdentity("alice", alice.identity());
        bob.trust().markVerified("alice", alice.identity());
        assertEquals("it is the real alice", str(bob.to("alice").decrypt(fromAlice)));

        // Mallory's session state is still in bob's record: its messages must not pass as the verified alice's.
        byte[] forged = mallory.to("bob").encrypt(utf8("send me the password"));
        assertThrows(E2eException.class, () -> bob.to("alice").decrypt(forged));
        // The real conversation goes on, both ways.
        assertEquals("hello again", str(bob.to("alice").decrypt(alice.to("bob").encrypt(utf8("hello again")))));
        assertEquals("welcome", str(alice.to("bob").decrypt(bob.to("alice").encrypt(utf8("welcome")))));
        assertEquals(TrustDecision.VERIFIED, bob.trust().check("alice", alice.identity()));
    }

    @Test
    void aNameInAnotherLetterCaseIsTheSamePeerAndItsNewKeyIsAChange() throws Exception {
        Party bob = new Party("bob");
        Party alice = new Party("alice");
        bob.to("alice").processPreKeyBundle(bundleOf(alice));
        bob.trust().markVerified("alice", alice.identity());
        // While alice is offline, someone connects as "Alice": bob's client must not pin the key silently.
        Party impostor = new Party("Alice");
        UntrustedIdentityException e = assertThrows(UntrustedIdentityException.class,
                () -> bob.to("Alice").processPreKeyBundle(bundleOf(impostor)));
        assertEquals(alice.identity(), e.change().previous());
        assertEquals(impostor.identity(), e.change().current());
        assertThrows(UntrustedIdentityException.class, () -> bob.to("Alice").encrypt(utf8("for alice only")));
        TrustedIdentity entry = bob.trust().trustedIdentity("ALICE").orElseThrow();
        assertEquals(alice.identity(), entry.key(), "one entry, whatever the case");
        assertTrue(entry.verified());
        assertEquals(impostor.identity(), entry.changedTo());
    }

    @Test
    void aForgedPreKeyMessageRecordsNoChangeAndBlocksNothing() throws Exception {
        Party bob = new Party("bob");
        Party alice = new Party("alice");
        bob.to("alice").processPreKeyBundle(bundleOf(alice));
        alice.to("bob").decrypt(bob.to("alice").encrypt(utf8("hello")));
        // The relay claims alice has a new key, with a pre-key message it cannot complete: it flips a bit of the
        // inner ciphertext of a message made with a key of its own.
        Party mallory = new Party("alice");
        mallory.to("bob").processPreKeyBundle(bundleOf(bob));
        byte[] forged = mallory.to("bob").encrypt(utf8("it is me, new phone"));
        forged[forged.length - 1] ^= 1;
        assertThrows(InvalidMessageException.class, () -> bob.to("alice").decrypt(forged));
        assertTrue(bob.trust().pendingChange("alice").isEmpty(), "nothing unauthenticated is recorded");
        assertEquals("still here", str(alice.to("bob").decrypt(bob.to("alice").encrypt(utf8("still here")))));
    }

    @Test
    void aChangeIsRecordedOnlyOnceItsMessageAuthenticates() throws Exception {
        Party bob = new Party("bob");
        Party alice = new Party("alice");
        bob.to("alice").processPreKeyBundle(bundleOf(alice));
        Party newAlice = new Party("alice");
        newAlice.to("bob").processPreKeyBundle(bundleOf(bob));
        byte[] real = newAlice.to("bob").encrypt(utf8("new phone"));
        UntrustedIdentityException e = assertThrows(UntrustedIdentityException.class,
                () -> bob.to("alice").decrypt(real));
        assertEquals(newAlice.identity(), e.change().current());
        assertEquals(newAlice.identity(), bob.trust().pendingChange("alice").orElseThrow().current());
        // Accepting binds to the key the user compared: another key now pending is not accepted in its place.
        Party mallory = new Party("alice");
        mallory.to("bob").processPreKeyBundle(bundleOf(bob));
        assertThrows(UntrustedIdentityException.class,
                () -> bob.to("alice").decrypt(mallory.to("bob").encrypt(utf8("no, me"))));
        assertEquals(mallory.identity(), bob.trust().pendingChange("alice").orElseThrow().current());
        assertThrows(IllegalStateException.class, () -> bob.trust().acceptPendingChange("alice", newAlice.identity()));
        assertEquals(alice.identity(), bob.trust().trustedIdentity("alice").orElseThrow().key(), "nothing accepted");
        // The user rejects the change: the old key stays trusted and sending resumes.
        assertTrue(bob.trust().rejectChange("alice"));
        assertTrue(bob.trust().pendingChange("alice").isEmpty());
        bob.to("alice").encrypt(utf8("resumed"));
    }
}
