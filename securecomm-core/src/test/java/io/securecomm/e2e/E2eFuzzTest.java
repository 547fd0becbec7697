package io.securecomm.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * Coverage-guided fuzz targets for what the relay, or a peer through the relay, hands the end-to-end layer (see
 * docs/FUZZING.md). In a normal {@code mvn test} each target replays the inputs under
 * {@code src/test/resources/io/securecomm/e2e/E2eFuzzTestInputs/<method>/}; with {@code JAZZER_FUZZ=1} Jazzer
 * mutates them.
 *
 * <p>Each target states what may come out: a specific {@link E2eException} and nothing else (never a runtime
 * exception, which would be a crash of the client or the relay), and for the ciphers, a session that still
 * decrypts the genuine next message afterwards: hostile bytes never corrupt state.
 */
class E2eFuzzTest {

    /** The relay parses every client's pre-key upload: a valid one re-encodes to what was decoded. */
    @FuzzTest(maxDuration = "2m")
    void preKeyUpload(byte[] input) {
        try {
            PreKeyUpload upload = PreKeyUpload.decode(input);
            assertEquals(upload, PreKeyUpload.decode(upload.encode()), "stable under re-encoding");
        } catch (E2eException expected) {
            // refused with a specific reason: fine
        }
    }

    /** A client parses the bundles the relay hands out. */
    @FuzzTest(maxDuration = "2m")
    void preKeyBundle(byte[] input) {
        try {
            PreKeyBundle bundle = PreKeyBundle.decode(input);
            assertEquals(bundle, PreKeyBundle.decode(bundle.encode()), "stable under re-encoding");
        } catch (E2eException expected) {
            // refused with a specific reason: fine
        }
    }

    /**
     * A client decrypts whatever envelope the relay says comes from a peer it has a session with; then the peer's
     * genuine next message must still decrypt.
     */
    @FuzzTest(maxDuration = "2m")
    void envelopeFromAPeer(byte[] input) throws Exception {
        Party alice = new Party("alice");
        Party bob = new Party("bob");
        PreKeyUpload u = bob.upload(1);
        alice.to("bob").processPreKeyBundle(u.bundle(u.oneTimePreKeys().get(0), u.oneTimeKemPreKeys().get(0)));
        assertArrayEquals(Party.utf8("hello"), bob.to("alice").decrypt(alice.to("bob").encrypt(Party.utf8("hello"))));
        try {
            byte[] plaintext = bob.to("alice").decrypt(input);
            throw new AssertionError("forged envelope of " + input.length + " bytes decrypted to "
                    + plaintext.length + " bytes");
        } catch (E2eException expected) {
            // tampered, truncated, replayed or garbage: refused
        }
        assertArrayEquals(Party.utf8("still there"),
                bob.to("alice").decrypt(alice.to("bob").encrypt(Party.utf8("still there"))),
                "the session survives a hostile envelope");
    }

    /**
     * A member decrypts whatever room envelope the relay attributes to another member whose key it holds; then that
     * member's genuine next message must still decrypt.
     */
    @FuzzTest(maxDuration = "2m")
    void roomMessageFromAMember(byte[] input) throws Exception {
        GroupCipher aliceRoom = new GroupCipher(PendingRoomMessages.defaults(Clock.systemUTC()), Party.RANDOM);
        GroupCipher bobRoom = new GroupCipher(new PendingRoomMessages(4, Duration.ofSeconds(30), Clock.systemUTC()),
                Party.RANDOM);
        try (SenderKeyDistribution d = aliceRoom.distribution()) {
            bobRoom.processDistribution("alice", SenderKeyDistribution.decode(d.encode()));
        }
        try {
            for (RoomEvent e : bobRoom.decrypt("alice", input)) {
                // Unknown chain: held for a key that never comes (or an older held one given up). Never text.
                assertFalse(e instanceof RoomEvent.Decrypted, "forged room message decrypted: " + e);
            }
        } catch (E2eException expected) {
            // forged, replayed, too far ahead, garbage: refused
        }
        List<RoomEvent> genuine = bobRoom.decrypt("alice", aliceRoom.encrypt(Party.utf8("still there")));
        assertArrayEquals(Party.utf8("still there"),
                assertInstanceOf(RoomEvent.Decrypted.class, genuine.get(genuine.size() - 1)).plaintext());
    }

    /** A member parses the sender keys that arrive through its pairwise sessions. */
    @FuzzTest(maxDuration = "2m")
    void senderKeyDistribution(byte[] input) {
        try (SenderKeyDistribution d = SenderKeyDistribution.decode(input)) {
            try (SenderKeyDistribution again = SenderKeyDistribution.decode(d.encode())) {
                assertEquals(d.chainId(), again.chainId(), "stable under re-encoding");
            }
        } catch (E2eException expected) {
            // refused with a specific reason: fine
        }
    }
}
