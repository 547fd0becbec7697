package io.securecomm.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class SecurecommNoiseTest {
    private final SecureRandom random = new SecureRandom();

    @ParameterizedTest
    @EnumSource(NoiseCipher.class)
    void clientAndRelayAuthenticateEachOthersIdentity(NoiseCipher cipher) throws Exception {
        NoiseKeyPair clientId = NoiseKeyPair.generate(NoiseDh.X25519, random);
        NoiseKeyPair relayId = NoiseKeyPair.generate(NoiseDh.X25519, random);
        HandshakeState client = SecurecommNoise.client(cipher, clientId, random);
        HandshakeState relay = SecurecommNoise.server(cipher, relayId, random);
        assertEquals(HandshakeAction.WRITE_MESSAGE, client.action());
        assertEquals(HandshakeAction.READ_MESSAGE, relay.action());
        relay.readMessage(client.writeMessage(new byte[0]));
        client.readMessage(relay.writeMessage(new byte[0]));
        relay.readMessage(client.writeMessage(new byte[0]));
        assertArrayEquals(relayId.publicKey(), client.remoteStaticPublicKey());
        assertArrayEquals(clientId.publicKey(), relay.remoteStaticPublicKey());
        SecureChannel c = client.split();
        SecureChannel r = relay.split();
        assertArrayEquals(c.handshakeHash(), r.handshakeHash());
        assertArrayEquals(new byte[] {1}, r.open(c.seal(new byte[] {1})));
    }

    @Test
    void constantsAreTheDocumentedOnes() {
        assertEquals("Noise_XX_25519_ChaChaPoly_SHA256", SecurecommNoise.protocol(NoiseCipher.CHACHA_POLY).name());
        assertEquals("Noise_XX_25519_AESGCM_SHA256", SecurecommNoise.protocol(NoiseCipher.AES_GCM).name());
        assertArrayEquals("securecomm/1".getBytes(StandardCharsets.US_ASCII), SecurecommNoise.prologue());
    }

    @Test
    void mismatchedCipherConfigurationFailsTheHandshake() throws Exception {
        NoiseKeyPair clientId = NoiseKeyPair.generate(NoiseDh.X25519, random);
        NoiseKeyPair relayId = NoiseKeyPair.generate(NoiseDh.X25519, random);
        HandshakeState client = SecurecommNoise.client(NoiseCipher.CHACHA_POLY, clientId, random);
        HandshakeState relay = SecurecommNoise.server(NoiseCipher.AES_GCM, relayId, random);
        relay.readMessage(client.writeMessage(new byte[0]));
        byte[] m2 = relay.writeMessage(new byte[0]);
        assertEquals(HandshakeException.Reason.DECRYPT_FAILED,
                assertThrows(HandshakeException.class, () -> client.readMessage(m2)).reason());
    }
}
