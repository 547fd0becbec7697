package io.securecomm.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bound on stored one-time pre-keys: a client that reconnects publishes a fresh batch each time, and the
 * store keeps at most {@link PreKeys#MAX_STORED_ONE_TIME_PRE_KEYS}, dropping the oldest first.
 */
class PreKeyBoundTest {
    @TempDir
    Path home;

    private static List<Integer> ids(PreKeyUpload upload) {
        List<Integer> ids = new ArrayList<>();
        upload.oneTimePreKeys().forEach(k -> ids.add(k.id()));
        return ids;
    }

    private static void reconnectManyTimes(Party bob) {
        List<List<Integer>> batches = new ArrayList<>();
        for (int connection = 0; connection < 13; connection++) {
            batches.add(ids(bob.upload(PreKeys.TARGET_ONE_TIME_PRE_KEYS)));
        }
        List<Integer> stored = bob.store.preKeyIds();
        assertEquals(PreKeys.MAX_STORED_ONE_TIME_PRE_KEYS, stored.size(), "bounded, not 13 batches");
        for (List<Integer> batch : batches.subList(3, 13)) {
            assertTrue(stored.containsAll(batch), "the ten newest batches are all kept");
        }
        for (List<Integer> batch : batches.subList(0, 3)) {
            assertTrue(Collections.disjoint(stored, batch), "the three oldest batches went first");
        }
        for (int b = 1; b < batches.size(); b++) {
            assertTrue(Collections.min(batches.get(b)) > Collections.max(batches.get(b - 1)), "identifiers ascend");
        }
    }

    @Test
    void anInMemoryStoreKeepsTheNewestBatchesOnly() {
        reconnectManyTimes(new Party("bob"));
    }

    @Test
    void aFileStoreKeepsTheNewestBatchesOnly() throws Exception {
        reconnectManyTimes(new Party("bob", FileProtocolStore.open(home, Party.RANDOM)));
        // Reopened, as after a restart: the same bounded set.
        assertEquals(PreKeys.MAX_STORED_ONE_TIME_PRE_KEYS, FileProtocolStore.open(home,
                Party.RANDOM).preKeyIds().size());
    }

    @Test
    void oneTimeKemPreKeysAreBoundedTooAndTheLastResortOneIsNeverPruned() throws Exception {
        Party bob = new Party("bob", FileProtocolStore.open(home, Party.RANDOM));
        List<List<Integer>> batches = new ArrayList<>();
        for (int connection = 0; connection < 12; connection++) {
            List<Integer> batch = new ArrayList<>();
            for (PreKeyUpload u : PreKeys.prepareUploads(bob.store, 0, PreKeys.TARGET_ONE_TIME_KEM_PRE_KEYS,
                    Party.CLOCK, Party.RANDOM)) {
                u.oneTimeKemPreKeys().forEach(k -> batch.add(k.id()));
            }
            batches.add(batch);
        }
        int lastResort = PreKeys.currentLastResortKemPreKey(bob.store).orElseThrow().id();
        List<Integer> stored = new ArrayList<>(bob.store.kemPreKeyIds());
        assertTrue(stored.remove(Integer.valueOf(lastResort)), "the last-resort KEM pre-key is kept");
        assertEquals(PreKeys.MAX_STORED_ONE_TIME_KEM_PRE_KEYS, stored.size(), "bounded, not 12 batches");
        for (List<Integer> batch : batches.subList(2, 12)) {
            assertTrue(stored.containsAll(batch), "the ten newest batches are all kept");
        }
        for (List<Integer> batch : batches.subList(0, 2)) {
            assertTrue(Collections.disjoint(stored, batch), "the two oldest batches went first");
        }
        assertEquals(PreKeys.MAX_STORED_ONE_TIME_KEM_PRE_KEYS + 1,
                FileProtocolStore.open(home, Party.RANDOM).kemPreKeyIds().size(), "the same after a restart");
    }

    @Test
    void aKeyFromAnEarlierConnectionStillStartsASessionWhileItIsKept() throws Exception {
        Party alice = new Party("alice");
        Party bob = new Party("bob");
        PreKeyUpload old = bob.upload(PreKeys.TARGET_ONE_TIME_PRE_KEYS);
        for (int connection = 0; connection < 5; connection++) {
            bob.upload(PreKeys.TARGET_ONE_TIME_PRE_KEYS);
        }
        alice.to("bob").processPreKeyBundle(old.bundle(old.oneTimePreKeys().get(0), null));
        byte[] m = alice.to("bob").encrypt(Party.utf8("hello"));
        assertArrayEquals(Party.utf8("hello"), bob.to("alice").decrypt(m));
        assertFalse(bob.store.containsPreKey(old.oneTimePreKeys().get(0).id()), "used once, then deleted");
    }
}
