package io.securecomm.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.securecomm.testing.Vectors;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class NoiseKeyPairTest {
    // RFC 7748, section 6.1
    private static final String ALICE_PRIVATE = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    private static final String ALICE_PUBLIC = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    private static final String BOB_PRIVATE = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
    private static final String BOB_PUBLIC = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    private static final String SHARED = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

    @Test
    void rfc7748KnownAnswers() throws Exception {
        NoiseKeyPair alice = NoiseKeyPair.fromPrivateKey(NoiseDh.X25519, Vectors.hex(ALICE_PRIVATE));
        NoiseKeyPair bob = NoiseKeyPair.fromPrivateKey(NoiseDh.X25519, Vectors.hex(BOB_PRIVATE));
        assertEquals(ALICE_PUBLIC, Vectors.hex(alice.publicKey()));
        assertEquals(BOB_PUBLIC, Vectors.hex(bob.publicKey()));
        assertEquals(SHARED, Vectors.hex(alice.dh(bob.publicKey())));
        assertEquals(SHARED, Vectors.hex(bob.dh(alice.publicKey())));
        assertEquals(ALICE_PRIVATE, Vectors.hex(alice.privateKey()));
    }

    @Test
    void generatedKeysHaveTheDhLength() {
        SecureRandom random = new SecureRandom();
        assertEquals(32, NoiseKeyPair.generate(NoiseDh.X25519, random).publicKey().length);
        assertEquals(56, NoiseKeyPair.generate(NoiseDh.X448, random).publicKey().length);
        assertThrows(IllegalArgumentException.class, () -> NoiseKeyPair.fromPrivateKey(NoiseDh.X448, new byte[32]));
    }

    @Test
    void aKeyPairIsASecret() {
        NoiseKeyPair kp = NoiseKeyPair.fromPrivateKey(NoiseDh.X25519, Vectors.hex(ALICE_PRIVATE));
        assertTrue(kp.toString().contains("redacted"));
        assertFalse(kp.toString().contains(ALICE_PRIVATE.substring(0, 8)));
        byte[] pub = kp.publicKey();
        kp.close();
        assertThrows(IllegalStateException.class, kp::privateKey);
        assertArrayEquals(pub, kp.publicKey(), "the public key stays readable");
    }
}
