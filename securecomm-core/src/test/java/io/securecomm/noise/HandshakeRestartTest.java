package io.securecomm.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link HandshakeState#restartAs}: a handshake restarted under another protocol before its first key is the
 * handshake that protocol would have run with the same keys and messages, on either side; after a key it is refused.
 */
class HandshakeRestartTest {
    private static final NoiseProtocol CHACHA = NoiseProtocol.parse("Noise_XX_25519_ChaChaPoly_SHA256");
    private static final NoiseProtocol AES = NoiseProtocol.parse("Noise_XX_25519_AESGCM_SHA256");
    private static final byte[] PROLOGUE = "restart".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OFFER = "an offer".getBytes(StandardCharsets.US_ASCII);

    private final SecureRandom random = new SecureRandom();
    private final NoiseKeyPair clientStatic = NoiseKeyPair.generate(NoiseDh.X25519, random);
    private final NoiseKeyPair relayStatic = NoiseKeyPair.generate(NoiseDh.X25519, random);
    private final NoiseKeyPair clientEphemeral = NoiseKeyPair.generate(NoiseDh.X25519, random);
    private final NoiseKeyPair relayEphemeral = NoiseKeyPair.generate(NoiseDh.X25519, random);

    private HandshakeState initiator(NoiseProtocol protocol) {
        return HandshakeState.builder(protocol).initiator().prologue(PROLOGUE).localStatic(clientStatic)
                .localEphemeralForTesting(clientEphemeral).build();
    }

    private HandshakeState responder(NoiseProtocol protocol) {
        return HandshakeState.builder(protocol).responder().prologue(PROLOGUE).localStatic(relayStatic)
                .localEphemeralForTesting(relayEphemeral).build();
    }

    @Test
    void anInitiatorRestartedAfterMessageOneRunsTheOtherProtocolsHandshakeByteForByte() throws Exception {
        try (HandshakeState chacha = initiator(CHACHA); HandshakeState fresh = initiator(AES);
                HandshakeState relay = responder(AES); HandshakeState freshRelay = responder(AES)) {
            byte[] first = chacha.writeMessage(OFFER);
            try (HandshakeState restarted = chacha.restartAs(AES)) {
                assertEquals(AES, restarted.protocol());
                assertArrayEquals(fresh.writeMessage(OFFER), first, "message 1 does not depend on the cipher");
                relay.readMessage(first);
                freshRelay.readMessage(first);
                byte[] second = relay.writeMessage(new byte[0]);
                assertArrayEquals(freshRelay.writeMessage(new byte[0]), second);
                restarted.readMessage(second);
                fresh.readMessage(second);
                byte[] third = restarted.writeMessage(new byte[0]);
                assertArrayEquals(fresh.writeMessage(new byte[0]), third);
                relay.readMessage(third);
                assertArrayEquals(fresh.handshakeHash(), restarted.handshakeHash());
                assertArrayEquals(relay.handshakeHash(), restarted.handshakeHash());
                assertRecordsFlow(restarted.split(), relay.split());
            }
            assertEquals(HandshakeAction.READ_MESSAGE, chacha.action(), "the original is left where it was");
        }
    }

    @Test
    void aResponderRestartedAfterReadingMessageOneMeetsAnInitiatorOfTheOtherProtocol() throws Exception {
        try (HandshakeState client = initiator(AES); HandshakeState chachaRelay = responder(CHACHA)) {
            chachaRelay.readMessage(client.writeMessage(OFFER));
            try (HandshakeState relay = chachaRelay.restartAs(AES)) {
                client.readMessage(relay.writeMessage(new byte[0]));
                relay.readMessage(client.writeMessage(new byte[0]));
                assertArrayEquals(client.handshakeHash(), relay.handshakeHash());
                assertRecordsFlow(client.split(), relay.split());
            }
        }
    }

    @Test
    void theOriginalStillCompletesUnderItsOwnProtocol() throws Exception {
        try (HandshakeState client = initiator(CHACHA); HandshakeState relay = responder(CHACHA)) {
            relay.readMessage(client.writeMessage(OFFER));
            client.restartAs(AES).close();
            client.readMessage(relay.writeMessage(new byte[0]));
            relay.readMessage(client.writeMessage(new byte[0]));
            assertRecordsFlow(client.split(), relay.split());
        }
    }

    @Test
    void aRestartIsRefusedOnceAKeyExistsOrForAnotherPatternOrAfterClose() throws Exception {
        try (HandshakeState client = initiator(CHACHA); HandshakeState relay = responder(CHACHA)) {
            assertThrows(IllegalArgumentException.class,
                    () -> client.restartAs(NoiseProtocol.parse("Noise_NN_25519_AESGCM_SHA256")));
            assertThrows(IllegalArgumentException.class,
                    () -> client.restartAs(NoiseProtocol.parse("Noise_XX_448_AESGCM_SHA256")));
            relay.readMessage(client.writeMessage(OFFER));
            client.readMessage(relay.writeMessage(new byte[0]));
            IllegalStateException keyed = assertThrows(IllegalStateException.class, () -> client.restartAs(AES));
            assertEquals("a handshake restarts under another protocol only before its first key: after 2 messages of "
                    + CHACHA.name() + " it has one", keyed.getMessage());
            relay.close();
            assertThrows(IllegalStateException.class, () -> relay.restartAs(AES));
        }
        List<byte[]> psk = List.of(new byte[32]);
        NoiseProtocol xxPsk3 = NoiseProtocol.parse("Noise_XXpsk3_25519_ChaChaPoly_SHA256");
        try (HandshakeState withPsk = HandshakeState.builder(xxPsk3).initiator().localStatic(clientStatic).psks(psk)
                .build()) {
            assertThrows(IllegalStateException.class,
                    () -> withPsk.restartAs(NoiseProtocol.parse("Noise_XXpsk3_25519_AESGCM_SHA256")));
        }
    }

    private static void assertRecordsFlow(SecureChannel client, SecureChannel relay) throws Exception {
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(hello, relay.open(client.seal(hello)));
        assertArrayEquals(hello, client.open(relay.seal(hello)));
    }
}
