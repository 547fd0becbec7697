package io.securecomm.internal.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.e2e.E2eException;
import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.InvalidSignatureException;
import io.securecomm.e2e.PreKeys;
import io.securecomm.testing.MutableClock;
import java.security.SecureRandom;
import java.time.Clock;
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
        return PreKeys.prepareUpload(store, oneTime, 0, Clock.systemUTC(), random).encode();
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
        assertEquals(3, d.upload(1, noiseKey(), upload(3)));
        Set<Integer> ids = new HashSet<>();
        for (int left = 2; left >= 0; left--) {
            PreKeyDirectory.Handout h = d.takeBundleOrWait(requester(), 1, new Recorder()).orElseThrow();
            assertEquals(left, h.remaining());
            assertTrue(ids.add(h.bundle().oneTime().orElseThrow().id()), "never twice");
            h.bundle().verify();
        }
        assertTrue(d.takeBundleOrWait(requester(), 1, new Recorder()).orElseThrow().bundle().oneTime().isEmpty());
        assertEquals(2, d.upload(1, noiseKey(), upload(2)), "a later upload adds one-time pre-keys");
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
        assertEquals(1, ((PreKeyDirectory.Handout) early.answers.get(0)).remaining());
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
        clock.advance(java.time.Duration.ofSeconds(1));
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
}
