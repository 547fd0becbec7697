package io.securecomm.internal.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.SecureCommException;
import io.securecomm.noise.HandshakeException;
import io.securecomm.noise.NoiseCipher;
import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.noise.NoiseMessageTooLargeException;
import io.securecomm.noise.SecureChannel;
import io.securecomm.noise.SecureChannelException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Both sides of a connection's Noise layer in memory: the handshake pumped between them, then framed records. */
class NoiseConnectionTest {
    private final NoiseKeyPair clientKey = NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom());
    private final NoiseKeyPair relayKey = NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom());

    /** Runs the handshake to its end, each side's messages read by the other. */
    static void pump(NoiseConnection client, NoiseConnection relay) throws SecureCommException {
        List<byte[]> toRelay = client.advance();
        relay.advance();
        for (int turns = 0; turns < 4 && !(client.isEstablished() && relay.isEstablished()); turns++) {
            for (byte[] m : toRelay) {
                assertNull(relay.read(m), "a handshake message has no plaintext");
            }
            List<byte[]> toClient = relay.advance();
            for (byte[] m : toClient) {
                assertNull(client.read(m));
            }
            toRelay = client.advance();
        }
        for (byte[] m : toRelay) {
            relay.read(m);
        }
        relay.advance();
    }

    @Test
    void theHandshakeEstablishesBothSidesWithEachOthersKeysAndOneHash() throws Exception {
        try (NoiseConnection client = new NoiseConnection(true, clientKey, key -> { });
                NoiseConnection relay = new NoiseConnection(false, relayKey, key -> { })) {
            assertFalse(client.canSeal());
            assertNull(client.remoteStaticPublicKey());
            pump(client, relay);
            assertTrue(client.isEstablished() && relay.isEstablished());
            assertArrayEquals(relayKey.publicKey(), client.remoteStaticPublicKey());
            assertArrayEquals(clientKey.publicKey(), relay.remoteStaticPublicKey());
            assertArrayEquals(client.handshakeHash(), relay.handshakeHash());
        }
    }

    @Test
    void aSealedFrameCarriesItsLengthAndOpensOnTheOtherSide() throws Exception {
        try (NoiseConnection client = new NoiseConnection(true, clientKey, key -> { });
                NoiseConnection relay = new NoiseConnection(false, relayKey, key -> { })) {
            pump(client, relay);
            byte[] plaintext = "hello, relay".getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[3 + NoiseConnection.framedLength(plaintext.length)];
            int written = client.sealFramed(plaintext, 0, plaintext.length, out, 3);
            assertEquals(NoiseConnection.framedLength(plaintext.length), written);
            int length = ((out[3] & 0xFF) << 8) | (out[4] & 0xFF);
            assertEquals(plaintext.length + NoiseCipher.TAG_SIZE_BYTES, length);
            byte[] record = Arrays.copyOfRange(out, 3 + NoiseConnection.FRAME_HEADER_BYTES, 3 + written);
            assertArrayEquals(plaintext, relay.read(record));
            record[0] ^= 1;
            assertThrows(SecureChannelException.class, () -> relay.read(record), "a tampered record");
            assertNull(relay.read(record), "a failed connection ignores what follows");
            assertFalse(relay.canSeal());
        }
    }

    @Test
    void aRefusedPeerKeyFailsTheHandshakeBeforeThisSideAnswers() throws Exception {
        SecureCommException refused = new HandshakeException(HandshakeException.Reason.UNEXPECTED_MESSAGE, "pinned",
                null);
        try (NoiseConnection client = new NoiseConnection(true, clientKey, key -> {
                    throw refused;
                });
                NoiseConnection relay = new NoiseConnection(false, relayKey, key -> { })) {
            for (byte[] m : client.advance()) {
                relay.read(m);
            }
            for (byte[] m : relay.advance()) {
                client.read(m);
            }
            assertEquals(refused, assertThrows(SecureCommException.class, client::advance));
            assertFalse(client.isEstablished());
            assertNull(client.read(new byte[48]), "failed: later frames are ignored");
        }
    }

    @Test
    void aHandshakeMessageOutOfTurnAndAnOversizedPlaintextAreRefused() throws Exception {
        try (NoiseConnection client = new NoiseConnection(true, clientKey, key -> { })) {
            // The initiator speaks first: a message before it has is out of turn.
            HandshakeException e = assertThrows(HandshakeException.class, () -> client.read(new byte[0]));
            assertEquals(HandshakeException.Reason.UNEXPECTED_MESSAGE, e.reason());
        }
        assertThrows(IllegalStateException.class, () -> new NoiseConnection(true, clientKey, key -> { })
                .sealFramed(new byte[1], 0, 1, new byte[64], 0), "no channel before the handshake");
        assertThrows(NoiseMessageTooLargeException.class,
                () -> NoiseConnection.framedLength(SecureChannel.MAX_PLAINTEXT_SIZE_BYTES + 1));
    }

    @Test
    void theDefaultHopCipherIsNegotiatedAndThePropertyParsesThreeNamesOnly() {
        // The build sets no property: the default connections of the other tests here negotiate.
        assertEquals(HopCipher.AUTO, HopCipher.configured());
        assertEquals(HopCipher.AUTO, HopCipher.parse(" Auto"));
        assertEquals(HopCipher.AES_GCM, HopCipher.parse("AESGCM"));
        assertEquals(HopCipher.AES_GCM, HopCipher.parse(" aesgcm"));
        assertEquals(HopCipher.CHACHA_POLY, HopCipher.parse("ChaChaPoly"));
        assertNull(HopCipher.parse("AES-GCM"));
        assertNull(HopCipher.parse(""));
        for (HopCipher mode : HopCipher.values()) {
            assertEquals(mode, HopCipher.parse(mode.propertyValue()));
        }
    }

    @Test
    void anAesGcmHopCarriesRecordsBothWays() throws Exception {
        try (NoiseConnection client = new NoiseConnection(true, HopCipher.AES_GCM, false, clientKey, key -> { });
                NoiseConnection relay = new NoiseConnection(false, HopCipher.AES_GCM, false, relayKey, key -> { })) {
            pump(client, relay);
            assertTrue(client.isEstablished() && relay.isEstablished());
            assertArrayEquals(client.handshakeHash(), relay.handshakeHash());
            assertRecordsFlowBothWays(client, relay);
        }
    }

    /** A record sealed by each side opens on the other. */
    static void assertRecordsFlowBothWays(NoiseConnection client, NoiseConnection relay) throws SecureCommException {
        byte[] plaintext = "hello both ways".getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[NoiseConnection.framedLength(plaintext.length)];
        relay.sealFramed(plaintext, 0, plaintext.length, out, 0);
        assertArrayEquals(plaintext, client.read(Arrays.copyOfRange(out, NoiseConnection.FRAME_HEADER_BYTES,
                out.length)));
        client.sealFramed(plaintext, 0, plaintext.length, out, 0);
        assertArrayEquals(plaintext, relay.read(Arrays.copyOfRange(out, NoiseConnection.FRAME_HEADER_BYTES,
                out.length)));
    }

    @Test
    void sidesConfiguredOnDifferentCiphersFailTheHandshakeAtMessageTwo() throws Exception {
        // One cipher configured on each side, nothing negotiated: the protocol name starts the handshake hash, so the
        // client cannot open the relay's static key in message 2, whichever side chose AESGCM.
        for (HopCipher clientCipher : List.of(HopCipher.CHACHA_POLY, HopCipher.AES_GCM)) {
            HopCipher relayCipher = clientCipher == HopCipher.AES_GCM ? HopCipher.CHACHA_POLY : HopCipher.AES_GCM;
            try (NoiseConnection client = new NoiseConnection(true, clientCipher, true, clientKey, key -> { });
                    NoiseConnection relay = new NoiseConnection(false, relayCipher, true, relayKey, key -> { })) {
                for (byte[] m : client.advance()) {
                    relay.read(m);
                }
                List<byte[]> message2 = relay.advance();
                assertEquals(1, message2.size());
                HandshakeException e = assertThrows(HandshakeException.class, () -> client.read(message2.get(0)));
                assertEquals(HandshakeException.Reason.DECRYPT_FAILED, e.reason(), clientCipher.propertyValue());
                assertFalse(client.isEstablished() || relay.isEstablished());
            }
        }
    }
}
