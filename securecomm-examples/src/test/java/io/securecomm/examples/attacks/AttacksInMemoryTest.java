package io.securecomm.examples.attacks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.crypto.insecure.LegacyHandshake;
import io.securecomm.crypto.insecure.LegacyHandshakeException;
import io.securecomm.crypto.insecure.LegacySuite;
import io.securecomm.crypto.insecure.LegacyTransport;
import io.securecomm.crypto.insecure.SmallPrimeDiffieHellman;
import io.securecomm.noise.HandshakeState;
import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.noise.NoiseProtocol;
import io.securecomm.noise.SecureChannel;
import io.securecomm.noise.SecureChannelException;
import io.securecomm.wire.ClientHello;
import io.securecomm.wire.Delivered;
import io.securecomm.wire.Message;
import io.securecomm.wire.MessageCodec;
import io.securecomm.wire.SendPublic;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each attack on the sans-I/O objects: it works on the legacy suite and fails, specifically, on Noise. */
class AttacksInMemoryTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] PROLOGUE = "securecomm/1".getBytes(StandardCharsets.US_ASCII);
    private static final String SECRET = "the vault code is 7391";

    /** What a client sends first and second: its hello (guessable) and a secret. */
    private static List<byte[]> clientMessages() {
        return List.of(MessageCodec.encode(new ClientHello("alice", "securecomm-client/1")),
                MessageCodec.encode(new SendPublic(1, SECRET)));
    }

    /** Records of one legacy session plus its two hellos: [clientHello, relayHello, record...]. */
    private static List<byte[]> legacySession() throws Exception {
        LegacyHandshake client = LegacyHandshake.client();
        LegacyHandshake relay = LegacyHandshake.relay();
        byte[] hello = client.writeClientHello();
        byte[] reply = relay.readClientHello(hello);
        List<byte[]> out = new ArrayList<>(List.of(hello, reply));
        try (LegacyTransport t = client.readRelayHello(reply)) {
            for (byte[] m : clientMessages()) {
                out.add(t.seal(m));
            }
        }
        return out;
    }

    /** A Noise XX session: [m1, m2, m3, record...] and the relay's receiving channel. */
    private static List<byte[]> noiseSession(SecureChannel[] relayChannel) throws Exception {
        NoiseProtocol protocol = NoiseProtocol.parse(LegacySuite.DEFAULT_SUITE_NAME);
        try (NoiseKeyPair cs = NoiseKeyPair.generate(NoiseDh.X25519, RANDOM);
                NoiseKeyPair rs = NoiseKeyPair.generate(NoiseDh.X25519, RANDOM);
                HandshakeState i = HandshakeState.initiator(protocol, PROLOGUE, cs, null, List.of());
                HandshakeState r = HandshakeState.responder(protocol, PROLOGUE, rs, null, List.of())) {
            List<byte[]> out = new ArrayList<>();
            byte[] m1 = i.writeMessage(new byte[0]);
            r.readMessage(m1);
            byte[] m2 = r.writeMessage(new byte[0]);
            i.readMessage(m2);
            byte[] m3 = i.writeMessage(new byte[0]);
            r.readMessage(m3);
            out.addAll(List.of(m1, m2, m3));
            SecureChannel c = i.split();
            relayChannel[0] = r.split();
            for (byte[] m : clientMessages()) {
                out.add(c.seal(m));
            }
            return out;
        }
    }

    private static byte[] crib() {
        return clientMessages().get(0);
    }

    @Test
    void xorKnownPlaintextRecoversTheKeyAndTheSecretFromLegacyTraffic() throws Exception {
        List<byte[]> s = legacySession();
        List<byte[]> records = s.subList(2, s.size());
        XorKnownPlaintext.RecoveredKey key = XorKnownPlaintext.recoverKey(records.get(0), 0, crib(), 32);
        assertEquals(LegacySuite.KEY_LENGTH_BYTES, key.lengthBytes());
        List<byte[]> plain = XorKnownPlaintext.decrypt(key, records);
        assertEquals(new SendPublic(1, SECRET), MessageCodec.decode(plain.get(1)));
    }

    @Test
    void xorKnownPlaintextFindsNoKeyInNoiseTrafficAndTamperingFailsAuthentication() throws Exception {
        SecureChannel[] relay = new SecureChannel[1];
        List<byte[]> s = noiseSession(relay);
        List<byte[]> records = s.subList(3, s.size());
        AttackFailedException e = assertThrows(AttackFailedException.class,
                () -> XorKnownPlaintext.recoverKey(records.get(0), 0, crib(), 32));
        assertTrue(e.getMessage().contains("not repeating-key XOR"), e.getMessage());
        // Even forcing a 16-byte "key" out of the crib only yields garbage for the next record.
        byte[] forced = Arrays.copyOf(records.get(0), 16);
        for (int i = 0; i < 16; i++) {
            forced[i] ^= crib()[i];
        }
        byte[] garbage = XorKnownPlaintext.decrypt(new XorKnownPlaintext.RecoveredKey(forced), records).get(1);
        assertFalse(new String(garbage, StandardCharsets.ISO_8859_1).contains("vault"));
        // And flipping any bit of a record is caught by the AEAD tag.
        assertArrayEquals(clientMessages().get(0), relay[0].open(records.get(0)));
        byte[] tampered = records.get(1).clone();
        tampered[5] ^= 1;
        SecureChannelException auth = assertThrows(SecureChannelException.class, () -> relay[0].open(tampered));
        assertEquals(SecureChannelException.Reason.AUTHENTICATION_FAILED, auth.reason());
        relay[0].close();
    }

    @Test
    void babyStepGiantStepSolvesTheToyGroup() throws Exception {
        SmallPrimeDiffieHellman group = SmallPrimeDiffieHellman.defaults();
        BabyStepGiantStep bsgs = new BabyStepGiantStep(group);
        for (long x : new long[] {0, 1, 2, 65535, 65536, 65537, group.p() - 2, 123_456_789L,
                group.generatePrivateValue(), group.generatePrivateValue()}) {
            assertEquals(Math.floorMod(x, group.p() - 1), bsgs.discreteLog(group.publicValue(x)), "x = " + x);
        }
        assertThrows(AttackFailedException.class, () -> bsgs.discreteLog(0));
        assertThrows(AttackFailedException.class, () -> bsgs.discreteLog(group.p()));
    }

    @Test
    void smallDhRecoversTheSessionKeyFromTheLegacyHellos() throws Exception {
        List<byte[]> s = legacySession();
        SmallDhAttack.Recovered r = new SmallDhAttack().recover(s.get(0), s.get(1));
        assertEquals(r.clientPublicValue(), SmallPrimeDiffieHellman.defaults().publicValue(r.clientPrivateValue()));
        try (LegacyTransport t = r.transport()) {
            t.open(s.get(2));
            assertEquals(new SendPublic(1, SECRET), MessageCodec.decode(t.open(s.get(3))));
        }
    }

    @Test
    void smallDhFindsNoSmallGroupValueInANoiseHandshake() throws Exception {
        SecureChannel[] relay = new SecureChannel[1];
        List<byte[]> s = noiseSession(relay);
        relay[0].close();
        assertEquals(32, s.get(0).length, "message 1 is an X25519 key");
        LegacyHandshakeException e = assertThrows(LegacyHandshakeException.class,
                () -> new SmallDhAttack().recover(s.get(0), s.get(1)));
        assertEquals(LegacyHandshakeException.Reason.NOT_LEGACY, e.reason());
    }

    @Test
    void legacyMitmReadsAndRewritesWithoutEitherEndNoticing() throws Exception {
        List<String> seen = new ArrayList<>();
        LegacyHandshake client = LegacyHandshake.client();
        LegacyHandshake relay = LegacyHandshake.relay();
        try (LegacyMitm mitm = new LegacyMitm(m -> m instanceof SendPublic p
                ? new SendPublic(p.requestId(), p.text().replace("7391", "0000")) : m, seen::add)) {
            byte[] forRelay = mitm.clientHelloToRelay();
            byte[] relayHello = relay.readClientHello(forRelay);
            mitm.readRelayHello(relayHello);
            byte[] fakeRelayHello = mitm.answerClientHello(client.writeClientHello());
            try (LegacyTransport c = client.readRelayHello(fakeRelayHello); LegacyTransport r = relay.split()) {
                List<Message> atRelay = new ArrayList<>();
                for (byte[] m : clientMessages()) {
                    atRelay.add(MessageCodec.decode(r.open(mitm.clientToRelay(c.seal(m)))));
                }
                assertEquals(new SendPublic(1, "the vault code is 0000"), atRelay.get(1));
                byte[] reply = MessageCodec.encode(new Delivered(1));
                assertArrayEquals(reply, c.open(mitm.relayToClient(r.seal(reply))));
            }
        }
        assertTrue(seen.stream().anyMatch(l -> l.startsWith("REWROTE") && l.contains("7391")), seen.toString());
    }

    @Test
    void legacyMitmCannotTakeOverANoiseHandshake() throws Exception {
        SecureChannel[] relay = new SecureChannel[1];
        List<byte[]> s = noiseSession(relay);
        relay[0].close();
        try (LegacyMitm mitm = new LegacyMitm(m -> m, line -> { })) {
            LegacyHandshakeException e = assertThrows(LegacyHandshakeException.class,
                    () -> mitm.answerClientHello(s.get(0)));
            assertEquals(LegacyHandshakeException.Reason.NOT_LEGACY, e.reason());
        }
        assertNotEquals(0, s.get(1).length);
    }
}
