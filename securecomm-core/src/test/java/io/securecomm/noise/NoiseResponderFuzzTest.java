package io.securecomm.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzz targets for the Noise responder as the relay runs it
 * ({@code Noise_XX_25519_ChaChaPoly_SHA256}, prologue {@code securecomm/1}); see docs/FUZZING.md. A stranger
 * controls the first and third handshake messages and every transport record, so each target feeds one of
 * those and allows only the documented checked exceptions: {@link HandshakeException} from
 * {@link HandshakeState#readMessage(byte[])}, {@link SecureChannelException} from
 * {@link SecureChannel#open(byte[])}. Any other exception, or acceptance of something the honest initiator did not
 * send, is a finding.
 *
 * <p>All randomness is a seeded counter ({@link #deterministicRandomForTesting(long)}), so an input replays the
 * same way every time and the stored seeds (the honest messages of this transcript) stay valid.
 */
public class NoiseResponderFuzzTest {
    static final NoiseProtocol PROTOCOL = NoiseProtocol.parse("Noise_XX_25519_ChaChaPoly_SHA256");
    static final byte[] PROLOGUE = "securecomm/1".getBytes(StandardCharsets.US_ASCII);

    /**
     * A predictable SecureRandom: NOT random at all, so the handshake transcript is the same on every run (also for
     * the other fuzz targets of a handshake).
     *
     * @param seed the seed
     * @return a counter dressed as a SecureRandom
     */
    public static SecureRandom deterministicRandomForTesting(long seed) {
        Random counter = new Random(seed);
        return new SecureRandom() {
            private static final long serialVersionUID = 1L;

            @Override
            public void nextBytes(byte[] bytes) {
                counter.nextBytes(bytes);
            }
        };
    }

    /** The honest transcript: both sides after the handshake, and the three messages. */
    record Transcript(HandshakeState initiator, HandshakeState responder, byte[] message1, byte[] message2,
            byte[] message3) {}

    static HandshakeState responder() {
        NoiseKeyPair relayKey = NoiseKeyPair.generate(NoiseDh.X25519, deterministicRandomForTesting(1));
        return HandshakeState.builder(PROTOCOL).responder().prologue(PROLOGUE).localStatic(relayKey)
                .random(deterministicRandomForTesting(2)).build();
    }

    static HandshakeState initiator() {
        NoiseKeyPair clientKey = NoiseKeyPair.generate(NoiseDh.X25519, deterministicRandomForTesting(3));
        return HandshakeState.builder(PROTOCOL).initiator().prologue(PROLOGUE).localStatic(clientKey)
                .random(deterministicRandomForTesting(4)).build();
    }

    /** Runs the honest handshake up to, but not including, the responder's reading of message 3. */
    static Transcript upToMessage3() throws HandshakeException {
        HandshakeState i = initiator();
        HandshakeState r = responder();
        byte[] m1 = i.writeMessage(new byte[0]);
        r.readMessage(m1);
        byte[] m2 = r.writeMessage(new byte[0]);
        i.readMessage(m2);
        byte[] m3 = i.writeMessage(new byte[0]);
        return new Transcript(i, r, m1, m2, m3);
    }

    /**
     * Message 1 from a stranger: the responder reads it or fails with {@link HandshakeException}; after reading
     * it, writing message 2 must work (or fail with a rejected public key, for a small-order ephemeral key).
     */
    @FuzzTest(maxDuration = "2m")
    void firstHandshakeMessage(byte[] message1) {
        HandshakeState r = responder();
        try {
            r.readMessage(message1);
        } catch (HandshakeException e) {
            assertEquals(HandshakeAction.FAILED, r.action(), "a failed handshake stays failed");
            return;
        }
        assertEquals(HandshakeAction.WRITE_MESSAGE, r.action());
        try {
            byte[] m2 = r.writeMessage(new byte[0]);
            assertEquals(32 + 48 + 16, m2.length, "e, encrypted s, encrypted empty payload");
        } catch (HandshakeException e) {
            assertEquals(HandshakeException.Reason.INVALID_PUBLIC_KEY, e.reason(), e.getMessage());
        }
    }

    /**
     * Message 3 from a stranger, after an honest message 1 and 2: only the honest initiator's message 3 may
     * complete the handshake; anything else is a {@link HandshakeException}.
     */
    @FuzzTest(maxDuration = "2m")
    void thirdHandshakeMessage(byte[] message3) throws HandshakeException {
        Transcript t = upToMessage3();
        try {
            t.responder().readMessage(message3);
        } catch (HandshakeException e) {
            assertEquals(HandshakeAction.FAILED, t.responder().action());
            return;
        }
        assertArrayEquals(t.message3(), message3, "the responder accepted a message 3 the initiator never sent");
        assertEquals(HandshakeAction.SPLIT, t.responder().action());
    }

    /**
     * Transport records from a stranger after an honest handshake. The input is a sequence of records, each a
     * 2-byte big-endian length and that many bytes. Each is opened in turn until one fails with
     * {@link SecureChannelException}; every record opened must be one the honest initiator sealed, in order
     * (no replay, no reordering, no forgery).
     */
    @FuzzTest(maxDuration = "2m")
    void transportRecords(byte[] input) throws HandshakeException {
        Transcript t = upToMessage3();
        t.responder().readMessage(t.message3());
        try (SecureChannel relay = t.responder().split(); SecureChannel client = t.initiator().split()) {
            ByteBuffer in = ByteBuffer.wrap(input);
            int opened = 0;
            while (in.remaining() >= 2) {
                int length = in.getShort() & 0xFFFF;
                byte[] record = new byte[Math.min(length, in.remaining())];
                in.get(record);
                byte[] plaintext;
                try {
                    plaintext = relay.open(record);
                } catch (SecureChannelException e) {
                    assertTrue(relay.isPoisoned(), "a failed channel stays failed");
                    return;
                }
                // The honest initiator's record number `opened` carries the plaintext "record <opened>".
                byte[] honest = client.seal(("record " + opened).getBytes(StandardCharsets.US_ASCII));
                assertArrayEquals(honest, record, "opened a record the initiator did not send as number " + opened);
                assertArrayEquals(("record " + opened).getBytes(StandardCharsets.US_ASCII), plaintext);
                opened++;
            }
        }
    }

    /** The stored honest seeds are this transcript's, so the fuzzer starts from the accepting paths. */
    @Test
    void storedSeedsAreTheHonestTranscript() throws Exception {
        Transcript t = upToMessage3();
        assertArrayEquals(t.message1(), seed("firstHandshakeMessage/honest_message_1"));
        assertArrayEquals(t.message3(), seed("thirdHandshakeMessage/honest_message_3"));
    }

    private static byte[] seed(String path) throws IOException {
        try (InputStream in = NoiseResponderFuzzTest.class.getResourceAsStream("NoiseResponderFuzzTestInputs/"
                + path)) {
            if (in == null) {
                throw new IOException("no seed " + path);
            }
            return in.readAllBytes();
        }
    }
}
