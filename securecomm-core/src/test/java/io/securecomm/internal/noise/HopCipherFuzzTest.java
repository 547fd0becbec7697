package io.securecomm.internal.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.securecomm.SecureCommException;
import io.securecomm.noise.HandshakeException;
import io.securecomm.noise.NoiseCipher;
import io.securecomm.noise.NoiseDh;
import io.securecomm.noise.NoiseKeyPair;
import io.securecomm.noise.NoiseResponderFuzzTest;
import java.util.Arrays;
import java.util.List;

/**
 * Coverage-guided fuzz target for the relay's side of the cipher negotiation (docs/FUZZING.md): a stranger's message
 * 1, offer and all, read by a negotiating relay with AES instructions. It fails with {@link HandshakeException}, or
 * it is read and message 2 follows on the cipher the offer asked for: AES-GCM if a well-formed offer names it, else
 * ChaChaPoly.
 */
class HopCipherFuzzTest {
    private static final NoiseKeyPair RELAY_KEY = NoiseKeyPair.generate(NoiseDh.X25519,
            NoiseResponderFuzzTest.deterministicRandomForTesting(1));

    @FuzzTest(maxDuration = "2m")
    void negotiatingRelayReadsMessageOne(byte[] message1) throws SecureCommException {
        try (NoiseConnection relay = new NoiseConnection(false, HopCipher.AUTO, true, RELAY_KEY, key -> { })) {
            try {
                relay.read(message1);
            } catch (HandshakeException e) {
                assertTrue(relay.advance().isEmpty(), "a failed connection writes nothing");
                return;
            }
            List<NoiseCipher> offer = CipherOffer.decode(Arrays.copyOfRange(message1, 32, message1.length));
            assertEquals(offer.contains(NoiseCipher.AES_GCM) ? NoiseCipher.AES_GCM : NoiseCipher.CHACHA_POLY,
                    relay.cipher());
            try {
                List<byte[]> message2 = relay.advance();
                assertEquals(1, message2.size());
                assertEquals(32 + 48 + 16, message2.get(0).length, "e, encrypted s, encrypted empty payload");
            } catch (HandshakeException e) {
                assertEquals(HandshakeException.Reason.INVALID_PUBLIC_KEY, e.reason(), e.getMessage());
            }
            assertFalse(relay.isEstablished());
        }
    }
}
