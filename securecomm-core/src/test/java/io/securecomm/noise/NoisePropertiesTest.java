package io.securecomm.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.noise.internal.HandshakePatterns;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Properties over every supported pattern (with and without psk modifiers), DH, cipher and hash: both
 * sides agree, payloads and transport records round-trip, and any flipped bit of any handshake message or
 * transport record is rejected. Keys come from a seeded generator so that a failure can be replayed.
 */
class NoisePropertiesTest {

    @Provide
    Arbitrary<NoiseProtocol> protocols() {
        Arbitrary<String> patterns = Arbitraries.of(List.copyOf(HandshakePatterns.baseNames()));
        Arbitrary<Integer> pskMask = Arbitraries.integers().between(0, 31);
        Arbitrary<NoiseDh> dh = Arbitraries.of(NoiseDh.class);
        Arbitrary<NoiseCipher> cipher = Arbitraries.of(NoiseCipher.class);
        Arbitrary<NoiseHash> hash = Arbitraries.of(NoiseHash.class);
        return Combinators.combine(patterns, pskMask, dh, cipher, hash).as((pattern, mask, d, c, h) -> {
            int messages = NoiseProtocol.parse("Noise_" + pattern + "_25519_ChaChaPoly_SHA256")
                    .handshakeMessageCount();
            List<String> modifiers = new ArrayList<>();
            for (int position = 0; position <= messages; position++) {
                // psk modifiers on about a third of the cases
                if ((mask & (1 << position)) != 0 && mask % 3 == 0) {
                    modifiers.add("psk" + position);
                }
            }
            return NoiseProtocol.parse("Noise_" + pattern + String.join("+", modifiers) + "_" + d.specName() + "_"
                    + c.specName() + "_" + h.specName());
        });
    }

    private static SecureRandom seeded(long seed) {
        try {
            SecureRandom r = SecureRandom.getInstance("SHA1PRNG");
            r.setSeed(seed);
            return r;
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    @Property(tries = 100)
    void bothSidesAgreeAndRecordsRoundTrip(@ForAll("protocols") NoiseProtocol protocol, @ForAll long seed,
            @ForAll @Size(max = 300) byte[] payload) throws Exception {
        NoisePair p = new NoisePair(protocol, seeded(seed));
        p.pump(payload);
        assertEquals(protocol.handshakeMessageCount(), p.messages.size());
        assertArrayEquals(p.initiator.handshakeHash(), p.responder.handshakeHash());
        assertEquals(protocol.hash().hashLengthBytes(), p.initiator.handshakeHash().length);
        if (p.responder.hasRemoteStaticPublicKey()) {
            assertArrayEquals(p.initiatorStatic.publicKey(), p.responder.remoteStaticPublicKey());
        }
        if (p.initiator.hasRemoteStaticPublicKey()) {
            assertArrayEquals(p.responderStatic.publicKey(), p.initiator.remoteStaticPublicKey());
        }
        SecureChannel i = p.initiator.split();
        SecureChannel r = p.responder.split();
        for (int n = 0; n < 3; n++) {
            byte[] record = i.seal(payload);
            assertEquals(payload.length + 16, record.length);
            assertArrayEquals(payload, r.open(record));
            if (!protocol.isOneWay()) {
                assertArrayEquals(payload, i.open(r.seal(payload)));
            }
        }
    }

    @Property(tries = 100)
    void anyFlippedBitOfAnyHandshakeMessageIsRejected(@ForAll("protocols") NoiseProtocol protocol,
            @ForAll long seed, @ForAll @Size(max = 40) byte[] payload, @ForAll @IntRange(min = 0, max = 10) int message,
            @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int bitChoice) throws Exception {
        NoisePair p = new NoisePair(protocol, seeded(seed));
        int tampered = message % protocol.handshakeMessageCount();
        HandshakeException rejected = null;
        for (int index = 0; index < protocol.handshakeMessageCount() && rejected == null; index++) {
            byte[] m = p.senderOf(index).writeMessage(payload);
            if (index == tampered) {
                int bit = bitChoice % (m.length * 8);
                m[bit / 8] ^= (byte) (1 << (bit % 8));
            }
            try {
                p.receiverOf(index).readMessage(m);
            } catch (HandshakeException e) {
                rejected = e;
                assertEquals(HandshakeAction.FAILED, p.receiverOf(index).action());
            }
        }
        assertTrue(rejected != null, "a flipped bit in message " + tampered + " went unnoticed");
    }

    @Property(tries = 100)
    void anyFlippedBitOfATransportRecordIsRejected(@ForAll("protocols") NoiseProtocol protocol, @ForAll long seed,
            @ForAll @Size(max = 100) byte[] payload, @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1)
            int bitChoice) throws Exception {
        NoisePair p = new NoisePair(protocol, seeded(seed));
        p.pump(new byte[0]);
        SecureChannel i = p.initiator.split();
        SecureChannel r = p.responder.split();
        byte[] record = i.seal(payload);
        int bit = bitChoice % (record.length * 8);
        record[bit / 8] ^= (byte) (1 << (bit % 8));
        SecureChannelException e = assertThrows(SecureChannelException.class, () -> r.open(record));
        assertEquals(SecureChannelException.Reason.AUTHENTICATION_FAILED, e.reason());
        assertTrue(r.isPoisoned());
    }
}
