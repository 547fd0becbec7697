package io.securecomm.internal.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.e2e.E2eException;
import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.InvalidPreKeyException;
import io.securecomm.e2e.InvalidSignatureException;
import io.securecomm.e2e.KemPreKeyKind;
import io.securecomm.e2e.PostQuantumRequiredException;
import io.securecomm.e2e.PreKeyUpload;
import io.securecomm.e2e.PreKeys;
import io.securecomm.e2e.SignedKemPreKey;
import io.securecomm.testing.MutableClock;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The relay's pre-key store: validation, one-time keys handed out once, waiting requests. */
class PreKeyDirectoryTest {
    private final SecureRandom random = new SecureRandom();
    private final IdentityKeyPair alice = IdentityKeyPair.generate(random);
    private final InMemoryProtocolStore store = new InMemoryProtocolStore(alice);

    private int nextRequester = 100;

    /** A requester never seen before: the per-requester bound plays no part where this is used. */
    private int requester() {
        return nextRequester++;
    }

    private byte[] upload(int oneTime) {
        return upload(oneTime, 0);
    }

    private byte[] upload(int oneTime, int oneTimeKem) {
        return PreKeys.prepareUpload(store, oneTime, oneTimeKem, Clock.systemUTC(), random).encode();
    }

    private byte[] noiseKey() {
        return alice.publicKey().agreementKey();
    }

    /** Records what a waiter was told. */
    private static final class Recorder implements PreKeyDirectory.Waiter {
        final List<Object> answers = new ArrayList<>();

        @Override
        public void bundle(PreKeyDirectory.Handout handout) {
            answers.add(handout);
        }

        @Override
        public void gone() {
            answers.add("gone");
        }

        @Override
        public void refused(String reason) {
            answers.add("refused: " + reason);
        }
    }

    @Test
    void eachOneTimePreKeyIsHandedOutOnceThenBundlesComeWithoutOne() throws Exception {
        PreKeyDirectory d = new PreKeyDirectory();
        assertEquals(new PreKeyDirectory.Remaining(3, 0), d.upload(1, noiseKey(), upload(3)));
        Set<Integer> ids = new HashSet<>();
        for (int left = 2; left >= 0; left--) {
            PreKeyDirectory.Handout h = d.takeBundleOrWait(requester(), 1, new Recorder()).orElseThrow();
            assertEquals(left, h.remaining().oneTime());
            assertTrue(ids.add(h.bundle().oneTime().orElseThrow().id()), "never twice");
            h.bundle().verify();
        }
        assertTrue(d.takeBundleOrWait(requester(), 1, new Recorder()).orElseThrow().bundle().oneTime().isEmpty());
        assertEquals(new PreKeyDirectory.Remaining(2, 0), d.upload(1, noiseKey(), upload(2)),
                "a later upload adds one-time pre-keys");
    }

    @Test
    void uploadsThatDoNotVerifyOrDoNotBindTheNoiseKeyAreRefused() {
        PreKeyDirectory d = new PreKeyDirectory();
        byte[] good = upload(1);
        byte[] bad = good.clone();
        bad[1 + 128 + 4 + 32 + 3] ^= 1; // the signed pre-key's signature
        assertThrows(InvalidSignatureException.class, () -> d.upload(1, noiseKey(), bad));
        byte[] otherKey = IdentityKeyPair.generate(random).publicKey().agreementKey();
        assertThrows(E2eException.class, () -> d.upload(1, otherKey, good));
        assertThrows(E2eException.class, () -> d.upload(1, noiseKey(), new byte[] {1, 2, 3}));
        Recorder r = new Recorder();
        assertTrue(d.takeBundleOrWait(requester(), 1, r).isEmpty(), "nothing was stored");
        assertTrue(r.answers.isEmpty());
    }

    @Test
    void aRequestBeforeTheFirstUploadIsAnsweredByIt() throws Exception {
        PreKeyDirectory d = new PreKeyDirectory();
        Recorder early = new Recorder();
        assertEquals(Optional.empty(), d.takeBundleOrWait(requester(), 7, early));
        assertTrue(early.answers.isEmpty());
        d.upload(7, noiseKey(), upload(2));
        assertEquals(1, early.answers.size());
        assertEquals(1, ((PreKeyDirectory.Handout) early.answers.get(0)).remaining().oneTime());
        assertFalse(d.cancel(7, early), "already answered");
    }

    @Test
    void waitingRequestsAreToldWhenTheOwnerLeavesAndCanBeCancelled() {
        PreKeyDirectory d = new PreKeyDirectory();
        Recorder waiting = new Recorder();
        Recorder cancelled = new Recorder();
        d.takeBundleOrWait(requester(), 5, waiting);
        d.takeBundleOrWait(requester(), 5, cancelled);
        assertTrue(d.cancel(5, cancelled));
        d.remove(5);
        assertEquals(List.of("gone"), waiting.answers);
        assertTrue(cancelled.answers.isEmpty());
    }

    @Test
    void strangersCannotFillANewcomersQueueAndHaveAnHonestRequestRefused() throws Exception {
        // Issue 22, point 4: requests for a newcomer that has not uploaded yet wait for its upload. The queue had a
        // cap of 256 for everyone together: 86 strangers asking 3 times each filled it, and an honest member's request
        // was refused at once. Each requester now has its own places.
        PreKeyDirectory d = new PreKeyDirectory();
        int newcomer = 7;
        for (int stranger = 1000; stranger < 1100; stranger++) {
            for (int i = 0; i < PreKeyDirectory.MAX_WAITING_REQUESTS_PER_REQUESTER; i++) {
                assertTrue(d.takeBundleOrWait(stranger, newcomer, new Recorder()).isEmpty());
            }
        }
        Recorder honest = new Recorder();
        assertTrue(d.takeBundleOrWait(1, newcomer, honest).isEmpty());
        assertTrue(honest.answers.isEmpty(), "the honest request waits: " + honest.answers);
        d.upload(newcomer, noiseKey(), upload(5));
        assertEquals(1, honest.answers.size());
        assertTrue(honest.answers.get(0) instanceof PreKeyDirectory.Handout, honest.answers.toString());
    }

    @Test
    void eachRequesterHasABoundedNumberOfWaitingRequests() {
        PreKeyDirectory d = new PreKeyDirectory();
        for (int i = 0; i < PreKeyDirectory.MAX_WAITING_REQUESTS_PER_REQUESTER; i++) {
            d.takeBundleOrWait(3, 9, new Recorder());
        }
        Recorder oneTooMany = new Recorder();
        d.takeBundleOrWait(3, 9, oneTooMany);
        assertEquals(1, oneTooMany.answers.size());
        assertTrue(oneTooMany.answers.get(0).toString().startsWith("refused: "), oneTooMany.answers.toString());
    }

    @Test
    void aCancelledWaitGivesItsPlaceBack() {
        MutableClock clock = new MutableClock();
        PreKeyDirectory d = new PreKeyDirectory(clock);
        Recorder first = new Recorder();
        d.takeBundleOrWait(3, 9, first);
        assertTrue(d.cancel(9, first));
        // The window still counts the request (the bundle bound), but the place in the queue is free again.
        clock.advance(PreKeyDirectory.BUNDLE_REQUEST_WINDOW);
        for (int i = 0; i < PreKeyDirectory.MAX_WAITING_REQUESTS_PER_REQUESTER; i++) {
            Recorder r = new Recorder();
            d.takeBundleOrWait(3, 9, r);
            assertTrue(r.answers.isEmpty(), "wait " + i + ": " + r.answers);
        }
    }

    @Test
    void oneRequesterGetsAFewBundlesOfOneClientPerWindowThenIsRefused() throws Exception {
        MutableClock clock = new MutableClock();
        PreKeyDirectory d = new PreKeyDirectory(clock);
        d.upload(1, noiseKey(), upload(20));
        int eve = 2;
        for (int i = 0; i < PreKeyDirectory.MAX_BUNDLES_PER_REQUESTER_AND_TARGET; i++) {
            assertTrue(d.takeBundleOrWait(eve, 1, new Recorder()).orElseThrow().bundle().oneTime().isPresent());
        }
        Recorder refused = new Recorder();
        assertTrue(d.takeBundleOrWait(eve, 1, refused).isEmpty());
        assertEquals(1, refused.answers.size());
        assertTrue(refused.answers.get(0).toString().startsWith("refused: client 2 asked for the pre-key bundles of"
                + " client 1 too often: at most 3 per 10 minutes"), refused.answers.toString());
        // Others are not affected, nor eve's requests for another client.
        assertTrue(d.takeBundleOrWait(3, 1, new Recorder()).isPresent());
        assertTrue(d.takeBundleOrWait(eve, 4, new Recorder()).isEmpty(), "waits for client 4's upload");
        // The window slides: once the first requests are older than it, eve may ask again.
        clock.advance(PreKeyDirectory.BUNDLE_REQUEST_WINDOW.minusSeconds(1));
        assertTrue(d.takeBundleOrWait(eve, 1, new Recorder()).isEmpty(), "still within the window");
        clock.advance(Duration.ofSeconds(1));
        assertTrue(d.takeBundleOrWait(eve, 1, new Recorder()).isPresent());
    }

    @Test
    void manyRequestersTogetherGetABoundedNumberOfOneTimePreKeysButAlwaysABundle() throws Exception {
        MutableClock clock = new MutableClock();
        PreKeyDirectory d = new PreKeyDirectory(clock);
        d.upload(1, noiseKey(), upload(100));
        int withOneTime = 0;
        int requests = PreKeyDirectory.MAX_ONE_TIME_PRE_KEYS_PER_TARGET + 20;
        for (int i = 0; i < requests; i++) {
            PreKeyDirectory.Handout h = d.takeBundleOrWait(requester(), 1, new Recorder()).orElseThrow();
            h.bundle().verify();
            withOneTime += h.bundle().oneTime().isPresent() ? 1 : 0;
        }
        assertEquals(PreKeyDirectory.MAX_ONE_TIME_PRE_KEYS_PER_TARGET, withOneTime);
        clock.advance(PreKeyDirectory.BUNDLE_REQUEST_WINDOW);
        assertTrue(d.takeBundleOrWait(requester(), 1, new Recorder()).orElseThrow().bundle().oneTime().isPresent(),
                "a new window, new one-time pre-keys");
    }

    @Test
    void oneTimeKemPreKeysAreHandedOutOnceThenTheLastResortOne() throws Exception {
        PreKeyDirectory d = new PreKeyDirectory();
        assertEquals(new PreKeyDirectory.Remaining(2, 3), d.upload(1, noiseKey(), upload(2, 3)));
        Set<Integer> ids = new HashSet<>();
        Integer lastResort = null;
        for (int i = 0; i < 5; i++) {
            PreKeyDirectory.Handout h = d.takeBundleOrWait(requester(), 1, new Recorder()).orElseThrow();
            h.bundle().verify();
            SignedKemPreKey kem = h.bundle().kemPreKey();
            if (i < 3) {
                assertEquals(KemPreKeyKind.ONE_TIME, kem.kind());
                assertTrue(ids.add(kem.id()), "never twice");
                assertEquals(2 - i, h.remaining().oneTimeKem());
            } else {
                assertEquals(KemPreKeyKind.LAST_RESORT, kem.kind(), "none left: the last-resort one, every time");
                assertTrue(lastResort == null || lastResort == kem.id());
                lastResort = kem.id();
                assertEquals(0, h.remaining().oneTimeKem());
            }
        }
        // A one-time KEM pre-key id still held cannot be published again.
        byte[] fresh = upload(0, 1);
        d.upload(1, noiseKey(), fresh);
        InvalidPreKeyException held = assertThrows(InvalidPreKeyException.class, () -> d.upload(1, noiseKey(), fresh));
        assertTrue(held.getMessage().contains("already published"), held.getMessage());
    }

    @Test
    void manyRequestersTogetherGetABoundedNumberOfOneTimeKemPreKeysButAlwaysAPostQuantumBundle() throws Exception {
        MutableClock clock = new MutableClock();
        PreKeyDirectory d = new PreKeyDirectory(clock);
        d.upload(1, noiseKey(), upload(0, 16));
        int oneTimeKem = 0;
        for (int i = 0; i < 30; i++) {
            PreKeyDirectory.Handout h = d.takeBundleOrWait(requester(), 1, new Recorder()).orElseThrow();
            oneTimeKem += h.bundle().kemPreKey().kind() == KemPreKeyKind.ONE_TIME ? 1 : 0;
        }
        assertEquals(PreKeyDirectory.MAX_ONE_TIME_KEM_PRE_KEYS_PER_TARGET, oneTimeKem,
                "beyond the window's allowance, the last-resort key: not drained, never without a KEM key");
        assertTrue(PreKeyDirectory.MAX_ONE_TIME_KEM_PRE_KEYS_PER_TARGET < PreKeys.TARGET_ONE_TIME_KEM_PRE_KEYS,
                "draining at full speed leaves the owner keys, and costs it one replenishing upload per window");
        clock.advance(PreKeyDirectory.BUNDLE_REQUEST_WINDOW);
        assertEquals(KemPreKeyKind.ONE_TIME,
                d.takeBundleOrWait(requester(), 1, new Recorder()).orElseThrow().bundle().kemPreKey().kind());
    }

    @Test
    void anUploadWithoutKemPreKeysIsRefusedWithAClearMessage() throws Exception {
        PreKeyDirectory d = new PreKeyDirectory();
        byte[] v2 = upload(1, 1);
        PreKeyUpload u = PreKeyUpload.decode(v2);
        // The X3DH upload an older client sends: version 1, no KEM pre-keys.
        ByteBuffer v1 = ByteBuffer.allocate(1 + 128 + 100 + 2 + 36);
        v1.put((byte) 1).put(u.identity().encode()).putInt(u.signedPreKey().id()).put(u.signedPreKey().publicKey())
                .put(u.signedPreKey().signature()).putShort((short) 1).putInt(u.oneTimePreKeys().get(0).id())
                .put(u.oneTimePreKeys().get(0).publicKey());
        PostQuantumRequiredException e = assertThrows(PostQuantumRequiredException.class,
                () -> d.upload(1, noiseKey(), v1.array()));
        assertTrue(e.getMessage().contains("post-quantum") && e.getMessage().contains("upgrade"), e.getMessage());
        assertTrue(d.takeBundleOrWait(requester(), 1, new Recorder()).isEmpty(), "nothing was stored");
    }

    @Test
    void everyOneTimeKemPreKeySignatureIsVerifiedAndTheSignedPartOnlyOnce() throws Exception {
        PreKeyDirectory d = new PreKeyDirectory();
        byte[] good = upload(0, 2);
        assertTrue(d.needsVerification(good));
        byte[] badOneTime = good.clone();
        badOneTime[badOneTime.length - 1] ^= 1; // the last one-time KEM pre-key's signature
        assertThrows(InvalidSignatureException.class, () -> d.upload(1, noiseKey(), badOneTime));
        assertFalse(d.needsVerification(good), "its signed part verified, and is remembered");
        byte[] badLastResort = good.clone();
        badLastResort[PreKeyUpload.SIGNED_PART_BYTES] ^= 1; // the last-resort KEM pre-key's signature, last byte
        assertTrue(d.needsVerification(badLastResort));
        assertThrows(InvalidSignatureException.class, () -> d.upload(1, noiseKey(), badLastResort));
        assertEquals(new PreKeyDirectory.Remaining(0, 2), d.upload(1, noiseKey(), good));
    }

    @Test
    void theCostModelCountsTheOneTimeKeysOfEachKindWithoutDecoding() {
        assertEquals(new PreKeyDirectory.Remaining(100, 6), PreKeyDirectory.oneTimeKeysIn(upload(100, 6)));
        assertEquals(new PreKeyDirectory.Remaining(0, 8), PreKeyDirectory.oneTimeKeysIn(upload(0, 8)));
        // Counts that do not add up to the length: charged as if every byte after the signed keys were KEM keys.
        byte[] lying = upload(0, 8);
        lying[1 + PreKeyUpload.SIGNED_PART_BYTES + 2 + 1] = 0; // claims no KEM keys
        assertEquals(new PreKeyDirectory.Remaining(0, 8), PreKeyDirectory.oneTimeKeysIn(lying));
        assertEquals(new PreKeyDirectory.Remaining(0, 0), PreKeyDirectory.oneTimeKeysIn(new byte[] {2, 1}));
    }
}
