package io.securecomm.e2e;

import static io.securecomm.e2e.Party.str;
import static io.securecomm.e2e.Party.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signed pre-keys rotate on a schedule, and a replaced one is deleted once its grace period is over. */
class PreKeysTest {
    private final MutableClock clock = new MutableClock();
    private final Party bob = new Party("bob");

    private PreKeyUpload connect() {
        return PreKeys.prepareUpload(bob.store, 1, 1, clock, Party.RANDOM);
    }

    @Test
    void aReplacedSignedPreKeyDecryptsDuringItsGracePeriodAndIsDeletedAfter() throws Exception {
        PreKeyUpload first = connect();
        int spk1 = first.signedPreKey().id();
        Party alice = new Party("alice");
        alice.to("bob").processPreKeyBundle(first.bundle(null, null));
        byte[] late = alice.to("bob").encrypt(utf8("sent with the first signed pre-key"));

        clock.advance(PreKeys.SIGNED_PRE_KEY_ROTATION.plusSeconds(1));
        int spk2 = connect().signedPreKey().id();
        assertNotEquals(spk1, spk2, "rotated once older than the rotation period");
        clock.advance(PreKeys.SIGNED_PRE_KEY_GRACE.minusSeconds(2));
        connect();
        assertTrue(bob.store.signedPreKeyIds().contains(spk1), "kept during the grace period");
        assertEquals("sent with the first signed pre-key", str(bob.to("alice").decrypt(late)));

        Party carol = new Party("carol");
        carol.to("bob").processPreKeyBundle(first.bundle(null, null));
        byte[] tooLate = carol.to("bob").encrypt(utf8("too late"));
        clock.advance(Duration.ofSeconds(2));
        connect();
        assertTrue(!bob.store.signedPreKeyIds().contains(spk1), "deleted once its grace period is over");
        assertTrue(bob.store.signedPreKeyIds().contains(spk2));
        assertThrows(InvalidPreKeyException.class, () -> bob.to("carol").decrypt(tooLate));
    }

    @Test
    void aClientThatStaysConnectedRotatesOnSchedule() {
        int spk1 = connect().signedPreKey().id();
        clock.advance(PreKeys.SIGNED_PRE_KEY_ROTATION);
        assertTrue(PreKeys.rotateSignedPreKeysIfDue(bob.store, clock, Party.RANDOM).isEmpty(), "not yet due");
        clock.advance(Duration.ofSeconds(1));
        PreKeyUpload rotated = PreKeys.rotateSignedPreKeysIfDue(bob.store, clock, Party.RANDOM).orElseThrow();
        assertNotEquals(spk1, rotated.signedPreKey().id());
        assertEquals(List.of(), rotated.oneTimePreKeys(), "the relay keeps the one-time pre-keys it has");
        assertEquals(bob.identity(), rotated.identity());
        assertTrue(PreKeys.rotateSignedPreKeysIfDue(bob.store, clock, Party.RANDOM).isEmpty(), "once per period");
        // Deletion after the grace period also happens on the schedule, without another rotation.
        clock.advance(PreKeys.SIGNED_PRE_KEY_GRACE.plusSeconds(1));
        PreKeys.rotateSignedPreKeysIfDue(bob.store, clock, Party.RANDOM);
        assertTrue(!bob.store.signedPreKeyIds().contains(spk1));
    }
}
