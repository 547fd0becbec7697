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
    void theLastResortKemPreKeyRotatesWithTheSignedOneAndIsDeletedAfterItsGracePeriod() throws Exception {
        PreKeyUpload first = connect();
        int kem1 = first.lastResortKemPreKey().id();
        assertEquals(KemPreKeyKind.LAST_RESORT, first.lastResortKemPreKey().kind());
        Party alice = new Party("alice");
        alice.to("bob").processPreKeyBundle(first.bundle(null, null));
        byte[] late = alice.to("bob").encrypt(utf8("sent with the first last-resort KEM pre-key"));

        clock.advance(PreKeys.SIGNED_PRE_KEY_ROTATION.plusSeconds(1));
        int kem2 = connect().lastResortKemPreKey().id();
        assertNotEquals(kem1, kem2, "rotated once older than the rotation period");
        clock.advance(PreKeys.SIGNED_PRE_KEY_GRACE.minusSeconds(2));
        connect();
        assertTrue(bob.store.containsKemPreKey(kem1), "kept during the grace period");
        assertEquals("sent with the first last-resort KEM pre-key", str(bob.to("alice").decrypt(late)));
        assertTrue(bob.store.containsKemPreKey(kem1), "a last-resort key is not consumed by its use");

        Party carol = new Party("carol");
        carol.to("bob").processPreKeyBundle(first.bundle(null, null));
        byte[] tooLate = carol.to("bob").encrypt(utf8("too late"));
        clock.advance(Duration.ofSeconds(2));
        connect();
        assertTrue(!bob.store.containsKemPreKey(kem1), "deleted once its grace period is over");
        assertTrue(bob.store.containsKemPreKey(kem2));
        // Both signed keys of the first bundle are gone now (they rotate together): the message names unknown keys.
        assertThrows(InvalidPreKeyException.class, () -> bob.to("carol").decrypt(tooLate));
    }

    @Test
    void whatAClientPublishesIsSplitIntoUploadsThatFitTheRelaysDefaultFrame() throws Exception {
        List<PreKeyUpload> connect = PreKeys.prepareUploads(bob.store, PreKeys.TARGET_ONE_TIME_PRE_KEYS,
                PreKeys.TARGET_ONE_TIME_KEM_PRE_KEYS, clock, Party.RANDOM);
        assertEquals(2, connect.size(), "connecting costs two uploads");
        assertEquals(PreKeys.TARGET_ONE_TIME_PRE_KEYS, connect.get(0).oneTimePreKeys().size());
        assertEquals(6, connect.get(0).oneTimeKemPreKeys().size());
        assertEquals(0, connect.get(1).oneTimePreKeys().size());
        assertEquals(8, connect.get(1).oneTimeKemPreKeys().size());
        for (PreKeyUpload u : connect) {
            byte[] encoded = u.encode();
            assertTrue(encoded.length <= PreKeys.UPLOAD_MAX_BYTES, encoded.length + " bytes");
            // The UploadPreKeys message (type, request id, length) and the Noise tag fit one 16 KiB frame.
            assertTrue(1 + 8 + 2 + encoded.length + 16 <= 16_384);
            assertEquals(u, PreKeyUpload.decode(encoded));
            assertEquals(connect.get(0).signedPreKey(), u.signedPreKey(), "every upload repeats the signed keys");
            assertEquals(connect.get(0).lastResortKemPreKey(), u.lastResortKemPreKey());
        }
        // A replenishment of 8 KEM pre-keys (the watermark is 7 of 14) is one upload.
        assertEquals(1, PreKeys.replenish(bob.store, PreKeys.TARGET_ONE_TIME_PRE_KEYS, PreKeys.KEM_LOW_WATERMARK - 1,
                clock, Party.RANDOM).size());
        // Whatever the counts, every upload fits, and together they carry every key.
        List<PreKeyUpload> many = PreKeys.prepareUploads(bob.store, 1000, 40, clock, Party.RANDOM);
        assertEquals(1000, many.stream().mapToInt(u -> u.oneTimePreKeys().size()).sum());
        assertEquals(40, many.stream().mapToInt(u -> u.oneTimeKemPreKeys().size()).sum());
        assertTrue(many.stream().allMatch(u -> u.encode().length <= PreKeys.UPLOAD_MAX_BYTES));
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
