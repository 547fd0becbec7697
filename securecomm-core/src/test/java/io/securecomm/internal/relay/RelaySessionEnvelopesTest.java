package io.securecomm.internal.relay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.e2e.IdentityKeyPair;
import io.securecomm.e2e.InMemoryProtocolStore;
import io.securecomm.e2e.PreKeyBundle;
import io.securecomm.e2e.PreKeys;
import io.securecomm.internal.relay.RelayHarness.Conn;
import io.securecomm.relay.RelayOptions;
import io.securecomm.relay.WorkLimit;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.Envelope;
import io.securecomm.wire.ErrorCode;
import io.securecomm.wire.ErrorReply;
import io.securecomm.wire.Joined;
import io.securecomm.wire.LeaveReason;
import io.securecomm.wire.Left;
import io.securecomm.wire.Message;
import io.securecomm.wire.PreKeyBundleRequest;
import io.securecomm.wire.PreKeyBundleResponse;
import io.securecomm.wire.PreKeyCount;
import io.securecomm.wire.RoomEnvelope;
import io.securecomm.wire.SendEnvelope;
import io.securecomm.wire.SendRoomEnvelope;
import io.securecomm.wire.UploadPreKeys;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The relay's end-to-end routing without sockets: pre-keys, bundles, envelopes, errors. */
class RelaySessionEnvelopesTest {
    private static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final SecureRandom random = new SecureRandom();
    private final RelayHarness relay = new RelayHarness(RelayOptions.builder().maxClients(4)
            .handshakeTimeout(HANDSHAKE_TIMEOUT));

    /** An admitted connection whose Noise key is the X25519 key of {@code id}. */
    private Conn admitted(String nickname, IdentityKeyPair id) {
        return relay.admit(relay.established(id.publicKey().agreementKey(), ProtocolExtension.NONE), nickname);
    }

    private byte[] upload(IdentityKeyPair id, int oneTime) {
        return PreKeys.prepareUpload(new InMemoryProtocolStore(id), oneTime, 0, Clock.systemUTC(), random).encode();
    }

    @Test
    void preKeysArePublishedAndHandedOutOneBundleAtATime() throws Exception {
        IdentityKeyPair aliceId = IdentityKeyPair.generate(random);
        IdentityKeyPair bobId = IdentityKeyPair.generate(random);
        Conn alice = admitted("alice", aliceId);
        Conn bob = admitted("bob", bobId);
        assertInstanceOf(Joined.class, alice.next());
        bob.send(new UploadPreKeys(1, upload(bobId, 2)));
        assertEquals(new Delivered(1), bob.next());

        alice.send(new PreKeyBundleRequest(5, 2));
        PreKeyBundleResponse r = assertInstanceOf(PreKeyBundleResponse.class, alice.next());
        assertEquals(5, r.requestId());
        PreKeyBundle b = PreKeyBundle.decode(r.bundle());
        assertEquals(bobId.publicKey(), b.identity());
        assertTrue(b.oneTime().isPresent());
        assertEquals(new PreKeyCount(1, 0), bob.next(), "the owner learns how many are left");
    }

    @Test
    void badUploadsAndUnknownClientsAreRefusedWithSpecificCodes() {
        IdentityKeyPair aliceId = IdentityKeyPair.generate(random);
        Conn alice = admitted("alice", aliceId);
        // An upload of someone else's identity: it does not bind alice's Noise key.
        alice.send(new UploadPreKeys(1, upload(IdentityKeyPair.generate(random), 1)));
        assertEquals(ErrorCode.INVALID_PRE_KEYS, ((ErrorReply) alice.next()).code());
        alice.send(new UploadPreKeys(2, new byte[] {1, 2, 3}));
        assertEquals(ErrorCode.INVALID_PRE_KEYS, ((ErrorReply) alice.next()).code());
        // An older client's X3DH upload (version 1): refused, and the detail says why and what to do.
        byte[] x3dh = upload(aliceId, 1);
        x3dh[0] = 1;
        alice.send(new UploadPreKeys(5, x3dh));
        ErrorReply old = (ErrorReply) alice.next();
        assertEquals(ErrorCode.INVALID_PRE_KEYS, old.code());
        assertEquals("pre-keys refused: pre-key upload version 1 has no post-quantum (ML-KEM) pre-keys; this relay"
                + " requires PQXDH (version 2): upgrade securecomm", old.detail());
        assertTrue(alice.isOpen(), "a refused upload does not end the session");
        alice.send(new PreKeyBundleRequest(3, 99));
        assertEquals(new ErrorReply(3, ErrorCode.UNKNOWN_RECIPIENT, "no client with id 99 is online"), alice.next());
        alice.send(new SendEnvelope(4, 99, new byte[] {1}));
        assertEquals(ErrorCode.UNKNOWN_RECIPIENT, ((ErrorReply) alice.next()).code());
    }

    @Test
    void aBundleRequestWaitsForTheOwnersFirstUploadOrItsDeparture() throws Exception {
        IdentityKeyPair bobId = IdentityKeyPair.generate(random);
        Conn alice = admitted("alice", IdentityKeyPair.generate(random));
        Conn bob = admitted("bob", bobId);
        alice.drain(); // Joined(bob)
        alice.send(new PreKeyBundleRequest(7, 2));
        assertNull(alice.next(), "waits");
        bob.send(new UploadPreKeys(1, upload(bobId, 1)));
        assertEquals(7, assertInstanceOf(PreKeyBundleResponse.class, alice.next()).requestId());
        assertEquals(List.of(new Delivered(1), new PreKeyCount(0, 0)), bob.drain());

        Conn carol = admitted("carol", IdentityKeyPair.generate(random));
        alice.drain(); // Joined(carol)
        alice.send(new PreKeyBundleRequest(8, 3));
        assertNull(alice.next());
        carol.clientCloses();
        List<Message> toAlice = alice.drain();
        assertTrue(toAlice.contains(new ErrorReply(8, ErrorCode.RECIPIENT_GONE,
                "client 3 left before publishing pre-keys")), "the requester learns the owner left, not that it has no"
                + " keys: " + toAlice);
        assertTrue(toAlice.contains(new Left(3, "carol", LeaveReason.DISCONNECTED)), toAlice::toString);
    }

    @Test
    void aBundleRequestWaitsNoLongerThanTheHandshakeTimeout() {
        Conn alice = admitted("alice", IdentityKeyPair.generate(random));
        admitted("bob", IdentityKeyPair.generate(random));
        alice.drain();
        alice.send(new PreKeyBundleRequest(7, 2));
        assertEquals(relay.clock.instant().plus(HANDSHAKE_TIMEOUT), alice.session.pollTimeout().orElseThrow());
        relay.advance(HANDSHAKE_TIMEOUT.minusMillis(1));
        assertNull(alice.next(), "still waiting");
        relay.advance(Duration.ofMillis(1));
        assertEquals(new ErrorReply(7, ErrorCode.NO_PRE_KEYS, "client 2 has not published pre-keys"), alice.next());
        assertTrue(alice.session.pollTimeout().isEmpty(), "nothing left to wait for");
    }

    @Test
    void aRequesterThatLeavesWithdrawsItsWaitingRequests() throws Exception {
        IdentityKeyPair bobId = IdentityKeyPair.generate(random);
        Conn alice = admitted("alice", IdentityKeyPair.generate(random));
        Conn bob = admitted("bob", bobId);
        alice.send(new PreKeyBundleRequest(7, 2));
        alice.clientCloses();
        bob.drain();
        bob.send(new UploadPreKeys(1, upload(bobId, 1)));
        assertEquals(List.of(new Delivered(1)), bob.drain(), "no bundle was handed out for the departed requester");
    }

    @Test
    void envelopesAreForwardedUnchangedWithTheSendersId() {
        Conn alice = admitted("alice", IdentityKeyPair.generate(random));
        Conn bob = admitted("bob", IdentityKeyPair.generate(random));
        Conn carol = admitted("carol", IdentityKeyPair.generate(random));
        alice.drain();
        bob.drain();
        byte[] ct = {1, 2, 3, 4, 5};
        alice.send(new SendEnvelope(9, 2, ct));
        Envelope e = assertInstanceOf(Envelope.class, bob.next());
        assertEquals(1, e.senderId());
        assertArrayEquals(ct, e.ciphertext());
        assertEquals(new Delivered(9), alice.next());
        assertNull(carol.next());

        alice.send(new SendRoomEnvelope(10, new int[] {2, 3}, ct));
        assertEquals(new RoomEnvelope(1, ct), bob.next());
        assertEquals(new RoomEnvelope(1, ct), carol.next());
        assertEquals(new Delivered(10), alice.next());
        assertNull(alice.next(), "never back to the sender");

        // Only to the members the sender listed (those it holds a key for); itself and ids gone are skipped.
        alice.send(new SendRoomEnvelope(11, new int[] {3, 1, 99}, ct));
        assertEquals(new RoomEnvelope(1, ct), carol.next());
        assertNull(bob.next(), "bob was not listed: a member the sender did not know of yet");
        assertEquals(new Delivered(11), alice.next());
        assertNull(alice.next(), "never back to the sender, even when listed");
        alice.send(new SendRoomEnvelope(12, new int[0], ct));
        assertEquals(new Delivered(12), alice.next(), "a room of one is delivered at once");
        assertEquals(List.of("~1 1:5", "~1 room:5", "~1 room:5", "~1 room:5"), relay.listened.subList(3, 7),
                "the listener sees each envelope's size, never more");
    }

    /**
     * Issue 22: one sender's room fan-out takes at most its share of each recipient's deliveries (1/16 of an address's
     * work allowance, burst and rate): beyond, that recipient is refused the envelope (RECIPIENT_TOO_SLOW to the
     * sender, never silently), while the others listed still get it and another sender's envelope to the same
     * recipient goes through. Before, every envelope the work limit admitted reached every listed member.
     */
    @Test
    void oneSendersRoomFanOutTakesAtMostItsShareOfARecipientsDeliveries() {
        Conn mallory = admitted("mallory", IdentityKeyPair.generate(random));
        Conn bob = admitted("bob", IdentityKeyPair.generate(random));
        Conn alice = admitted("alice", IdentityKeyPair.generate(random));
        mallory.drain();
        bob.drain();
        alice.drain();
        byte[] ct = new byte[8192];
        WorkLimit work = WorkLimit.defaults();
        long burst = work.addressBurstMicros() / RelaySession.RECIPIENT_SHARE_DIVISOR;
        long share = burst / CostModel.deliveryMicros(ct.length); // whole deliveries in the burst
        int flood = (int) share + 40;
        int delivered = 0;
        int refused = 0;
        for (int k = 1; k <= flood; k++) {
            mallory.send(new SendRoomEnvelope(k, new int[] {2}, ct));
            Message answer = mallory.next();
            if (answer instanceof Delivered) {
                delivered++;
            } else {
                assertEquals(ErrorCode.RECIPIENT_TOO_SLOW, assertInstanceOf(ErrorReply.class, answer).code());
                refused++;
            }
        }
        assertTrue(delivered >= share && delivered <= share + 1, delivered + " delivered, share " + share);
        assertEquals(flood - delivered, refused);
        assertEquals(delivered, bob.drain().size(), "bob got what was answered as delivered, no more");

        alice.send(new SendRoomEnvelope(1, new int[] {2}, ct));
        assertEquals(new RoomEnvelope(3, ct), bob.next(), "another sender's share is its own");
        assertEquals(new Delivered(1), alice.next());

        relay.advance(Duration.ofSeconds(1)); // the share refills at its rate
        long perSecond = work.addressMicrosPerSecond() / RelaySession.RECIPIENT_SHARE_DIVISOR
                / CostModel.deliveryMicros(ct.length);
        int later = 0;
        for (int k = 1; k <= 40; k++) {
            mallory.send(new SendRoomEnvelope(1000 + k, new int[] {2}, ct));
            if (mallory.next() instanceof Delivered) {
                later++;
            }
        }
        assertTrue(later >= perSecond - 1 && later <= perSecond + 1, later + " delivered a second later, rate "
                + perSecond);
    }
}
