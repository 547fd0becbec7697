package io.securecomm.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.noise.internal.HandshakePatterns;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HandshakeStateTest {
    private static final byte[] EMPTY = new byte[0];

    @Test
    void securecommDefaultXxAuthenticatesBothStaticKeysAndAgreesOnTheHash() throws Exception {
        NoisePair p = NoisePair.of("Noise_XX_25519_ChaChaPoly_SHA256");
        assertEquals(HandshakeAction.WRITE_MESSAGE, p.initiator.action());
        assertEquals(HandshakeAction.READ_MESSAGE, p.responder.action());
        assertFalse(p.responder.hasRemoteStaticPublicKey());
        p.pump(EMPTY);
        assertEquals(3, p.messages.size());
        // -> e ; <- e, ee, s, es ; -> s, se with empty payloads
        assertEquals(32, p.messages.get(0).length);
        assertEquals(32 + 48 + 16, p.messages.get(1).length);
        assertEquals(48 + 16, p.messages.get(2).length);
        assertArrayEquals(p.responderStatic.publicKey(), p.initiator.remoteStaticPublicKey());
        assertArrayEquals(p.initiatorStatic.publicKey(), p.responder.remoteStaticPublicKey());
        assertArrayEquals(p.initiator.handshakeHash(), p.responder.handshakeHash());
        assertEquals(32, p.initiator.handshakeHash().length);

        SecureChannel client = p.initiator.split();
        SecureChannel server = p.responder.split();
        assertArrayEquals(client.handshakeHash(), server.handshakeHash());
        assertArrayEquals(p.initiatorStatic.publicKey(), server.remoteStaticPublicKey());
        assertArrayEquals(new byte[] {1, 2, 3}, server.open(client.seal(new byte[] {1, 2, 3})));
        assertArrayEquals(new byte[] {4}, client.open(server.seal(new byte[] {4})));
        // the static key pairs are borrowed: the handshakes did not close them, so they serve the next one
        assertEquals(32, p.responderStatic.privateKey().length);
        p.again().pump(EMPTY);
    }

    @Test
    void writingWhenItIsThePeersTurnIsRejectedAndChangesNothing() throws Exception {
        NoisePair p = NoisePair.of("Noise_XX_25519_ChaChaPoly_SHA256");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.responder.writeMessage(EMPTY));
        assertTrue(e.getMessage().contains("peer's turn"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> p.initiator.readMessage(new byte[32]));
        assertEquals(HandshakeAction.READ_MESSAGE, p.responder.action());
        assertEquals(HandshakeAction.WRITE_MESSAGE, p.initiator.action());
        p.pump(EMPTY); // both still work
    }

    @Test
    void aHandshakeThatFailedCannotBeUsedAgain() throws Exception {
        NoisePair p = NoisePair.of("Noise_XX_25519_AESGCM_SHA256");
        p.responder.readMessage(p.initiator.writeMessage(EMPTY));
        byte[] m2 = p.responder.writeMessage(EMPTY);
        m2[m2.length - 1] ^= 1;
        HandshakeException e = assertThrows(HandshakeException.class, () -> p.initiator.readMessage(m2));
        assertEquals(HandshakeException.Reason.DECRYPT_FAILED, e.reason());
        assertEquals(HandshakeAction.FAILED, p.initiator.action());
        IllegalStateException again = assertThrows(IllegalStateException.class, () -> p.initiator.readMessage(m2));
        assertTrue(again.getMessage().contains("failed earlier"), again.getMessage());
        assertThrows(IllegalStateException.class, () -> p.initiator.writeMessage(EMPTY));
        assertThrows(IllegalStateException.class, p.initiator::split);
        assertThrows(IllegalStateException.class, p.initiator::handshakeHash);
        // s decrypted before the payload's tag failed: that key is not authenticated and is not handed out
        assertFalse(p.initiator.hasRemoteStaticPublicKey());
        assertThrows(IllegalStateException.class, p.initiator::remoteStaticPublicKey);
    }

    @Test
    void splitOnlyOnceAndOnlyAfterTheLastMessage() throws Exception {
        NoisePair p = NoisePair.of("Noise_NN_25519_ChaChaPoly_SHA256");
        assertThrows(IllegalStateException.class, p.initiator::split);
        assertThrows(IllegalStateException.class, p.initiator::handshakeHash);
        p.pump(EMPTY);
        assertThrows(IllegalStateException.class, () -> p.initiator.writeMessage(EMPTY));
        p.initiator.split();
        IllegalStateException e = assertThrows(IllegalStateException.class, p.initiator::split);
        assertTrue(e.getMessage().contains("already"), e.getMessage());
        assertEquals(32, p.initiator.handshakeHash().length, "the hash outlives split()");
    }

    @Test
    void truncatedMessagesAreMalformed() throws Exception {
        NoisePair p = NoisePair.of("Noise_XX_25519_ChaChaPoly_SHA256");
        byte[] m1 = p.initiator.writeMessage(EMPTY);
        HandshakeException e = assertThrows(HandshakeException.class,
                () -> p.responder.readMessage(Arrays.copyOf(m1, 31)));
        assertEquals(HandshakeException.Reason.MALFORMED_MESSAGE, e.reason());

        // message 2 of XX is e (32), encrypted s (48), payload tag (16)
        for (int len : new int[] {0, 31, 32, 79, 80 + 15}) {
            NoisePair r = NoisePair.of("Noise_XX_25519_ChaChaPoly_SHA256");
            r.responder.readMessage(r.initiator.writeMessage(EMPTY));
            byte[] m2 = r.responder.writeMessage(EMPTY);
            assertEquals(96, m2.length);
            HandshakeException t = assertThrows(HandshakeException.class,
                    () -> r.initiator.readMessage(Arrays.copyOf(m2, len)));
            assertEquals(HandshakeException.Reason.MALFORMED_MESSAGE, t.reason(), "length " + len);
        }
    }

    @Test
    void messageSizeLimitIsEnforcedOnBothSides() throws Exception {
        NoisePair p = NoisePair.of("Noise_NN_25519_ChaChaPoly_SHA256");
        // message 1 of NN is e plus the plaintext payload: 32 + 65503 = 65535 is the most
        assertThrows(NoiseMessageTooLargeException.class, () -> p.initiator.writeMessage(new byte[65504]));
        assertEquals(HandshakeAction.WRITE_MESSAGE, p.initiator.action(), "nothing changed");
        byte[] max = p.initiator.writeMessage(new byte[65503]);
        assertEquals(65535, max.length);
        assertEquals(65503, p.responder.readMessage(max).length);
        // message 2 carries a tag: 32 + 65487 + 16
        assertThrows(NoiseMessageTooLargeException.class, () -> p.responder.writeMessage(new byte[65488]));
        assertEquals(65535, p.responder.writeMessage(new byte[65487]).length);

        NoisePair q = NoisePair.of("Noise_NN_25519_ChaChaPoly_SHA256");
        q.initiator.writeMessage(EMPTY);
        HandshakeException e = assertThrows(HandshakeException.class, () -> q.responder.readMessage(new byte[65536]));
        assertEquals(HandshakeException.Reason.MESSAGE_TOO_LARGE, e.reason());
        assertEquals(HandshakeAction.FAILED, q.responder.action());
    }

    @Test
    void aLowOrderEphemeralKeyIsRejected() throws Exception {
        NoisePair p = NoisePair.of("Noise_NN_25519_ChaChaPoly_SHA256");
        p.initiator.writeMessage(EMPTY);
        p.responder.readMessage(new byte[32]); // u = 0, a low-order point; NN message 1 has no DH yet
        HandshakeException e = assertThrows(HandshakeException.class, () -> p.responder.writeMessage(EMPTY));
        assertEquals(HandshakeException.Reason.INVALID_PUBLIC_KEY, e.reason());
        assertEquals(HandshakeAction.FAILED, p.responder.action());
    }

    @Test
    void builderChecksKeysAgainstThePattern() {
        NoiseProtocol xx = NoiseProtocol.parse("Noise_XX_25519_ChaChaPoly_SHA256");
        NoiseProtocol ik = NoiseProtocol.parse("Noise_IK_25519_ChaChaPoly_SHA256");
        NoiseProtocol nn = NoiseProtocol.parse("Noise_NN_25519_ChaChaPoly_SHA256");
        NoiseProtocol psk = NoiseProtocol.parse("Noise_NNpsk0+psk2_25519_ChaChaPoly_SHA256");
        NoiseKeyPair key = NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom());
        NoiseKeyPair key448 = NoiseKeyPair.generate(NoiseDh.X448, new SecureRandom());
        assertThrows(IllegalArgumentException.class, () -> HandshakeState.initiator(xx, EMPTY, null, null, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> HandshakeState.initiator(xx, EMPTY, key, key.publicKey(), List.of()));
        assertThrows(IllegalArgumentException.class, () -> HandshakeState.initiator(ik, EMPTY, key, null, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> HandshakeState.initiator(ik, EMPTY, key, new byte[31], List.of()));
        assertThrows(IllegalArgumentException.class, () -> HandshakeState.initiator(nn, EMPTY, key, null, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> HandshakeState.initiator(xx, EMPTY, key448, null, List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> HandshakeState.initiator(psk, EMPTY, null, null, List.of(new byte[32])));
        assertThrows(IllegalArgumentException.class,
                () -> HandshakeState.initiator(psk, EMPTY, null, null, List.of(new byte[32], new byte[31])));
        assertThrows(IllegalArgumentException.class, () -> HandshakeState.builder(nn).build());
        HandshakeState.initiator(psk, EMPTY, null, null, List.of(new byte[32], new byte[32]));
    }

    @Test
    void aWrongPrologueOrPskFailsTheHandshake() throws Exception {
        NoiseProtocol nn = NoiseProtocol.parse("Noise_NN_25519_ChaChaPoly_SHA256");
        HandshakeState i = HandshakeState.initiator(nn, new byte[] {1}, null, null, List.of());
        HandshakeState r = HandshakeState.responder(nn, new byte[] {2}, null, null, List.of());
        r.readMessage(i.writeMessage(EMPTY));
        byte[] m2 = r.writeMessage(EMPTY);
        assertEquals(HandshakeException.Reason.DECRYPT_FAILED,
                assertThrows(HandshakeException.class, () -> i.readMessage(m2)).reason());

        NoiseProtocol psk = NoiseProtocol.parse("Noise_NNpsk0_25519_AESGCM_SHA512");
        HandshakeState pi = HandshakeState.initiator(psk, EMPTY, null, null, List.of(new byte[32]));
        byte[] other = new byte[32];
        other[0] = 1;
        HandshakeState pr = HandshakeState.responder(psk, EMPTY, null, null, List.of(other));
        byte[] m1 = pi.writeMessage(EMPTY);
        assertEquals(HandshakeException.Reason.DECRYPT_FAILED,
                assertThrows(HandshakeException.class, () -> pr.readMessage(m1)).reason());
    }

    @Test
    void closedHandshakeIsUnusableAndToStringIsRedacted() {
        NoisePair p = NoisePair.of("Noise_XX_25519_ChaChaPoly_SHA256");
        assertTrue(p.initiator.toString().contains("redacted"));
        p.initiator.close();
        assertEquals(HandshakeAction.FAILED, p.initiator.action());
        assertThrows(IllegalStateException.class, () -> p.initiator.writeMessage(EMPTY));
    }

    @Test
    void oneWayPatternsOnlySendFromInitiator() throws Exception {
        NoisePair p = NoisePair.of("Noise_X_25519_ChaChaPoly_SHA256");
        p.pump(new byte[] {7});
        assertEquals(1, p.messages.size());
        assertArrayEquals(p.initiatorStatic.publicKey(), p.responder.remoteStaticPublicKey());
        SecureChannel sender = p.initiator.split();
        SecureChannel receiver = p.responder.split();
        assertArrayEquals(new byte[] {9}, receiver.open(sender.seal(new byte[] {9})));
        assertThrows(IllegalStateException.class, () -> receiver.seal(EMPTY));
        assertThrows(IllegalStateException.class, () -> sender.open(new byte[16]));
    }

    static Stream<String> everyPatternWithAndWithoutPsk() {
        List<String> names = new ArrayList<>();
        for (String pattern : HandshakePatterns.baseNames()) {
            for (String modifier : new String[] {"", "psk0", "psk1"}) {
                for (String suite : new String[] {"25519_ChaChaPoly_SHA256", "448_AESGCM_SHA512"}) {
                    names.add("Noise_" + pattern + modifier + "_" + suite);
                }
            }
        }
        return names.stream();
    }

    @ParameterizedTest
    @MethodSource("everyPatternWithAndWithoutPsk")
    void everySupportedPatternCompletesAndAgrees(String name) throws Exception {
        NoisePair p = NoisePair.of(name);
        p.pump(new byte[] {1, 2, 3});
        assertArrayEquals(p.initiator.handshakeHash(), p.responder.handshakeHash());
        SecureChannel i = p.initiator.split();
        SecureChannel r = p.responder.split();
        assertArrayEquals(new byte[] {4}, r.open(i.seal(new byte[] {4})));
    }

    @Test
    void everyFlippedBitOfEveryXxHandshakeMessageIsRejected() throws Exception {
        NoisePair reference = NoisePair.of("Noise_XX_25519_ChaChaPoly_SHA256");
        reference.pump(new byte[] {5});
        for (int message = 0; message < 3; message++) {
            for (int bit = 0; bit < reference.messages.get(message).length * 8; bit++) {
                NoisePair p = reference.again();
                boolean rejected = false;
                for (int index = 0; index < 3 && !rejected; index++) {
                    byte[] m = p.senderOf(index).writeMessage(new byte[] {5});
                    if (index == message) {
                        m[bit / 8] ^= (byte) (1 << (bit % 8));
                    }
                    try {
                        p.receiverOf(index).readMessage(m);
                    } catch (HandshakeException e) {
                        rejected = true;
                    }
                }
                assertTrue(rejected, "flipped bit " + bit + " of message " + (message + 1) + " went unnoticed");
            }
        }
    }
}
