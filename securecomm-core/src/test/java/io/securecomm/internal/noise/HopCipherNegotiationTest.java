package io.securecomm.internal.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.noise.HandshakeAction;
import io.securecomm.noise.HandshakeException;
import io.securecomm.noise.HandshakeState;
import io.securecomm.noise.NoiseCipher;
import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.noise.SecureChannel;
import io.securecomm.noise.SecurecommNoise;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The hop's cipher negotiated in handshake message 1 ({@link HopCipher}, {@link CipherOffer}): every pairing of modes
 * and AES support ends on the cipher docs/NOISE.md promises or fails at message 2 where it says so; sides that do not
 * negotiate (a v1 relay, a v1 client) still meet a negotiating one; an offer altered on its way fails the handshake
 * rather than changing the cipher.
 */
class HopCipherNegotiationTest {
    private final NoiseKeyPair clientKey = NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom());
    private final NoiseKeyPair relayKey = NoiseKeyPair.generate(NoiseDh.X25519, new SecureRandom());

    /**
     * Each row: the client's mode and whether it has AES instructions, the relay's, then the cipher both end on, or
     * FAIL for a handshake that fails at message 2.
     */
    @ParameterizedTest(name = "client {0} aes={1}, relay {2} aes={3}: {4}")
    @CsvSource({
        // Both negotiate: AES-GCM only where both have AES instructions.
        "AUTO, true, AUTO, true, AESGCM",
        "AUTO, true, AUTO, false, ChaChaPoly",
        "AUTO, false, AUTO, true, ChaChaPoly",
        "AUTO, false, AUTO, false, ChaChaPoly",
        // A relay on ChaChaPoly only is a v1 relay: it ignores the offer, the client falls back.
        "AUTO, true, CHACHA_POLY, true, ChaChaPoly",
        "AUTO, true, CHACHA_POLY, false, ChaChaPoly",
        // A relay on AES-GCM only meets a client that offers it.
        "AUTO, true, AES_GCM, false, AESGCM",
        "AUTO, false, AES_GCM, true, FAIL",
        // A client on ChaChaPoly only sends no offer.
        "CHACHA_POLY, true, AUTO, true, ChaChaPoly",
        "CHACHA_POLY, true, CHACHA_POLY, true, ChaChaPoly",
        "CHACHA_POLY, true, AES_GCM, true, FAIL",
        // A client on AES-GCM only offers it, and has no fallback.
        "AES_GCM, false, AUTO, true, AESGCM",
        "AES_GCM, true, AUTO, false, FAIL",
        "AES_GCM, true, AES_GCM, false, AESGCM",
        "AES_GCM, true, CHACHA_POLY, true, FAIL",
    })
    void eachPairingEndsOnThePromisedCipherOrFailsAtMessageTwo(HopCipher clientMode, boolean clientAes,
            HopCipher relayMode, boolean relayAes, String expected) throws Exception {
        try (NoiseConnection client = new NoiseConnection(true, clientMode, clientAes, clientKey, key -> { });
                NoiseConnection relay = new NoiseConnection(false, relayMode, relayAes, relayKey, key -> { })) {
            if (expected.equals("FAIL")) {
                for (byte[] m : client.advance()) {
                    relay.read(m);
                }
                byte[] message2 = relay.advance().get(0);
                HandshakeException e = assertThrows(HandshakeException.class, () -> client.read(message2));
                assertEquals(HandshakeException.Reason.DECRYPT_FAILED, e.reason());
                assertFalse(client.isEstablished() || relay.isEstablished());
                return;
            }
            NoiseConnectionTest.pump(client, relay);
            assertTrue(client.isEstablished() && relay.isEstablished());
            NoiseCipher cipher = HopCipher.parseCipher(expected);
            assertEquals(cipher, client.cipher());
            assertEquals(cipher, relay.cipher());
            assertArrayEquals(client.handshakeHash(), relay.handshakeHash());
            NoiseConnectionTest.assertRecordsFlowBothWays(client, relay);
        }
    }

    @Test
    void aClientWithoutAnOfferSendsVersionOnesEmptyFirstMessage() throws Exception {
        for (HopCipher mode : List.of(HopCipher.AUTO, HopCipher.CHACHA_POLY)) {
            try (NoiseConnection client = new NoiseConnection(true, mode, false, clientKey, key -> { })) {
                List<byte[]> first = client.advance();
                assertEquals(1, first.size());
                assertEquals(32, first.get(0).length, "e only, empty payload: " + mode);
            }
        }
        try (NoiseConnection client = new NoiseConnection(true, HopCipher.AUTO, true, clientKey, key -> { })) {
            byte[] first = client.advance().get(0);
            assertArrayEquals(CipherOffer.encode(List.of(NoiseCipher.AES_GCM)), Arrays.copyOfRange(first, 32,
                    first.length), "e, then the offer in clear");
        }
    }

    @Test
    void aVersionOneRelayHandshakeMeetsAnOfferingClientOnChaChaPoly() throws Exception {
        // The v1 relay: SecurecommNoise's responder on ChaChaPoly, ignoring message 1's payload.
        try (NoiseConnection client = new NoiseConnection(true, HopCipher.AUTO, true, clientKey, key -> { });
                HandshakeState relay = SecurecommNoise.server(NoiseCipher.CHACHA_POLY, relayKey,
                        new SecureRandom())) {
            for (byte[] m : client.advance()) {
                relay.readMessage(m);
            }
            client.read(relay.writeMessage(new byte[0]));
            for (byte[] m : client.advance()) {
                relay.readMessage(m);
            }
            assertEquals(HandshakeAction.SPLIT, relay.action());
            assertTrue(client.isEstablished());
            assertEquals(NoiseCipher.CHACHA_POLY, client.cipher());
            SecureChannel channel = relay.split();
            byte[] plaintext = "from a v1 relay".getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(plaintext, client.read(channel.seal(plaintext)));
        }
    }

    @Test
    void aVersionOneClientHandshakeMeetsANegotiatingRelayOnChaChaPoly() throws Exception {
        try (HandshakeState client = SecurecommNoise.client(NoiseCipher.CHACHA_POLY, clientKey, new SecureRandom());
                NoiseConnection relay = new NoiseConnection(false, HopCipher.AUTO, true, relayKey, key -> { })) {
            relay.read(client.writeMessage(new byte[0]));
            client.readMessage(relay.advance().get(0));
            relay.read(client.writeMessage(new byte[0]));
            relay.advance();
            assertTrue(relay.isEstablished());
            assertEquals(NoiseCipher.CHACHA_POLY, relay.cipher());
            assertArrayEquals(client.handshakeHash(), relay.handshakeHash());
        }
    }

    @Test
    void anOfferStrippedOrAlteredOnItsWayFailsTheHandshakeInsteadOfChangingTheCipher() throws Exception {
        byte[] unknownOnly = {CipherOffer.FORMAT, 1, 3, 'X', 'Y', 'Z'};
        for (byte[] replacement : List.of(new byte[0], unknownOnly)) {
            try (NoiseConnection client = new NoiseConnection(true, HopCipher.AUTO, true, clientKey, key -> { });
                    NoiseConnection relay = new NoiseConnection(false, HopCipher.AUTO, true, relayKey, key -> { })) {
                byte[] first = client.advance().get(0);
                byte[] altered = Arrays.copyOf(first, 32 + replacement.length);
                System.arraycopy(replacement, 0, altered, 32, replacement.length);
                relay.read(altered);
                assertEquals(NoiseCipher.CHACHA_POLY, relay.cipher(), "the relay saw no AESGCM in the offer");
                byte[] message2 = relay.advance().get(0);
                HandshakeException e = assertThrows(HandshakeException.class, () -> client.read(message2));
                assertEquals(HandshakeException.Reason.DECRYPT_FAILED, e.reason());
                assertEquals(1, e.getSuppressed().length, "the AESGCM attempt failed too");
                assertFalse(client.isEstablished());
            }
        }
    }

    @Test
    void aMalformedOfferFailsTheRelaysHandshake() throws Exception {
        try (NoiseConnection client = new NoiseConnection(true, HopCipher.CHACHA_POLY, false, clientKey, key -> { });
                NoiseConnection relay = new NoiseConnection(false, HopCipher.AUTO, true, relayKey, key -> { })) {
            byte[] e = client.advance().get(0);
            byte[] malformed = Arrays.copyOf(e, e.length + 3);
            malformed[32] = CipherOffer.FORMAT;
            malformed[33] = 1;
            malformed[34] = 9; // a 9-byte name, but no bytes follow
            HandshakeException failure = assertThrows(HandshakeException.class, () -> relay.read(malformed));
            assertEquals(HandshakeException.Reason.MALFORMED_MESSAGE, failure.reason());
            assertTrue(relay.advance().isEmpty(), "a failed connection writes nothing");
        }
    }
}
